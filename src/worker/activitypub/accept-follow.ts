import type { BuildRecord } from '../../core/build-record.ts';
import { checkCallback } from '../hub/check-callback.ts';
import { plainText } from '../hub/plain-text.ts';
import { idOf } from './activity-fields.ts';
import { AS_CONTEXT } from './activity-type.ts';
import { fetchRemoteActor, type RemoteFetchOptions, type RemoteKey } from './fetch-remote-actor.ts';
import { addFollower } from './followers.ts';
import { findOurActor } from './our-actor.ts';

export type InboxContext = {
  kv: KVNamespace;
  db: D1Database;
  queue: Queue;
  build: BuildRecord;
  options: RemoteFetchOptions;
};

/**
 * A verified `Follow` (ActivityPub §7.5): its object must be one of our actors in the build
 * served and the follower's inbox one the SSRF guard allows (400 otherwise, nothing stored);
 * then the follow is stored and an `Accept` of it queued to the follower's inbox.
 */
export async function acceptFollow(
  { kv, db, queue, build, options }: InboxContext,
  activity: Record<string, unknown>,
  key: RemoteKey,
): Promise<Response> {
  const target = await findOurActor(kv, build, idOf(activity.object) ?? '');
  if (target === undefined) return plainText(400, "The Follow's object is not one of our actors.");
  const followId = idOf(activity.id);
  if (followId === undefined) return plainText(400, 'The Follow has no id.');
  let endpoints: { inbox: string | undefined; sharedInbox: string | undefined } = key;
  if (endpoints.inbox === undefined) {
    const fetched = await fetchRemoteActor(key.owner, options);
    if ('error' in fetched) return plainText(400, `The follower's actor: ${fetched.error}.`);
    endpoints = fetched;
  }
  const inbox = checkCallback(
    endpoints.sharedInbox ?? endpoints.inbox ?? '',
    options.allowLoopback,
    'inbox',
  );
  if (!inbox.ok) return plainText(400, `The follower's ${inbox.reason}.`);
  await addFollower(db, {
    actor: target.path,
    follower: key.owner,
    inbox: inbox.url.href,
    followId,
    followedAt: Date.now(),
  });
  const accept = {
    '@context': AS_CONTEXT,
    id: `${target.id}#accept-${await shortDigest(followId)}`,
    type: 'Accept',
    actor: target.id,
    to: [key.owner],
    object: { id: followId, type: 'Follow', actor: key.owner, object: target.id },
  };
  // The Accept goes to the follower's own inbox when known (some servers route Accepts only
  // there), through the queue: retried like every delivery.
  await queue.send(
    {
      kind: 'activity',
      buildId: build.buildId,
      actor: target.id,
      inbox: endpoints.inbox ?? inbox.url.href,
      activity: JSON.stringify(accept),
    },
    { contentType: 'json' },
  );
  return plainText(202, `Following ${target.id}; an Accept is on its way.`);
}

async function shortDigest(text: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)),
  );
  return [...digest.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
