import type { Context } from 'hono';
import type { WorkerEnv } from '../bindings.ts';
import { isRateLimited } from '../hub/limit-hub-rate.ts';
import { plainText } from '../hub/plain-text.ts';
import { readBodyBytes } from '../read-body-bytes.ts';
import { acceptFollow } from './accept-follow.ts';
import { idOf, isObject } from './activity-fields.ts';
import { actorKeyOf } from './actor-key.ts';
import type { RemoteFetchOptions } from './fetch-remote-actor.ts';
import { removeFollower } from './followers.ts';
import { findOurActor } from './our-actor.ts';
import { signRequest } from './sign-request.ts';
import { verifySignature } from './verify-signature.ts';

/** ActivityPub inbox bodies larger than this are refused unread (413). */
export const MAX_INBOX_BYTES = 1024 * 1024;

/**
 * POST /inbox (shared) and `{feed}/inbox` (ActivityPub §7): every request must carry a
 * valid draft-cavage HTTP Signature by the activity's own actor (verify-signature.ts), else
 * 401 and nothing changes. A `Follow` of one of our actors is stored in D1 and answered
 * with a signed `Accept` through the queue; an `Undo` of a Follow removes it; any other
 * activity (Create, Announce, Like, Delete, Update, …) is acknowledged with 202 and dropped:
 * our actors publish, they do not read (docs/activitypub.md, "What the inbox drops").
 */
export async function handleInbox(c: Context<WorkerEnv>): Promise<Response> {
  const { DB: db, FEEDS: kv, HUB_QUEUE: queue } = c.env;
  const pointer = c.get('pointer');
  if (db === undefined || kv === undefined || queue === undefined) {
    return plainText(503, 'ActivityPub is not configured on this worker (DB, FEEDS, HUB_QUEUE).');
  }
  const key = actorKeyOf(c.env.ACTIVITYPUB_PRIVATE_KEY);
  if (key === undefined) return plainText(503, 'No ACTIVITYPUB_PRIVATE_KEY is configured.');
  if (pointer.state !== 'loaded') return plainText(503, 'No build is served yet.');
  if (await isRateLimited(c.env.INBOX_RATE_LIMIT, c.req.raw, 'inbox')) {
    return plainText(429, 'Too many inbox requests from this address.', { 'Retry-After': '60' });
  }
  const length = Number(c.req.header('Content-Length') ?? '0');
  const body =
    length > MAX_INBOX_BYTES ? undefined : await readBodyBytes(c.req.raw.body, MAX_INBOX_BYTES);
  if (body === undefined || !body.complete) {
    return plainText(413, `An activity must be at most ${MAX_INBOX_BYTES} bytes.`);
  }
  let activity: unknown;
  try {
    activity = JSON.parse(
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body.bytes),
    );
  } catch {
    return plainText(400, 'The body is not JSON.');
  }
  const actor = isObject(activity) ? idOf(activity.actor) : undefined;
  if (!isObject(activity) || actor === undefined || typeof activity.type !== 'string') {
    return plainText(400, 'The activity names no type or no actor.');
  }
  const build = pointer.build;
  const allowLoopback = c.env.HUB_ALLOW_LOOPBACK === 'true';
  const siteKeyId = `${build.siteUrl}/actor#main-key`;
  const options: RemoteFetchOptions = {
    allowLoopback,
    sign: async (url) => signRequest(await key, siteKeyId, 'GET', url, undefined),
  };
  const verified = await verifySignature(c.req.raw, body.bytes, options);
  if (!verified.ok) return refuse(verified.reason);
  if (verified.key.owner !== actor) {
    return refuse(`the key ${verified.key.keyId} belongs to ${verified.key.owner}, not ${actor}`);
  }
  if (activity.type === 'Follow') {
    return acceptFollow({ kv, db, queue, build, options }, activity, verified.key);
  }
  if (activity.type === 'Undo') {
    const object = activity.object;
    const undone = isObject(object) ? object : { id: idOf(object) };
    if (isObject(object) && object.type !== undefined && object.type !== 'Follow') {
      return plainText(202, 'Acknowledged; only an Undo of a Follow changes anything here.');
    }
    const ours = await findOurActor(kv, build, idOf(undone.object) ?? '');
    await removeFollower(db, actor, ours?.path, idOf(undone.id));
    return plainText(202, 'Unfollowed.');
  }
  return plainText(202, `Acknowledged; a ${activity.type.slice(0, 40)} changes nothing here.`);
}

function refuse(reason: string): Response {
  return plainText(401, `Refused: ${reason}.`, {
    'WWW-Authenticate': 'Signature realm="edgefeed", headers="(request-target) host date digest"',
  });
}
