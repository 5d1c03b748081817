import { PUBLIC_AUDIENCE } from '../../core/actor-paths.ts';
import type { BuildRecord } from '../../core/build-record.ts';
import type { ManifestEntry } from '../../core/manifest.ts';
import type { HubMessage } from '../hub/hub-message.ts';
import { sendHubMessages } from '../hub/send-hub-messages.ts';
import { readContent } from '../store/read-content.ts';
import { isObject } from './activity-fields.ts';
import { listFollowerInboxes } from './followers.ts';
import { withPublicKey } from './inject-public-key.ts';

/**
 * After a switch: each actor document that changed (its feed's title, description or icon;
 * render-actor.ts) and whose actor has followers is sent to their inboxes as an `Update` of
 * the actor (ActivityPub §7.3), one message per inbox, a shared inbox once. Servers keep a
 * copy of a remote actor: Mastodon replaces its profile (name, bio, avatar) with the
 * Update's object, so the object is the actor as served, public key included (an actor
 * without one would lose its key there). The id names the build, so an Update is new per
 * switch and the same on a retried delivery. `changed` holds actor paths (isActorPath).
 */
export async function enqueueActorUpdates(
  kv: KVNamespace,
  db: D1Database,
  queue: Queue,
  current: BuildRecord,
  changed: ReadonlyMap<string, ManifestEntry>,
  publicKeyPem: string,
): Promise<number> {
  const inboxes = await listFollowerInboxes(db, [...changed.keys()]);
  const messages: HubMessage[] = [];
  for (const [path, entry] of changed) {
    const targets = inboxes.get(path);
    if (targets === undefined) continue;
    const text = await new Response(await readContent(kv, entry[0])).text();
    const served: unknown = JSON.parse(withPublicKey(text, publicKeyPem));
    if (!isObject(served)) continue;
    const { '@context': context, ...object } = served;
    const actor = `${current.siteUrl}${path}`;
    const activity = JSON.stringify({
      '@context': context,
      id: `${actor}#updates/${current.buildId}`,
      type: 'Update',
      actor,
      to: [PUBLIC_AUDIENCE],
      object,
    });
    for (const inbox of targets) {
      messages.push({ kind: 'activity', buildId: current.buildId, actor, inbox, activity });
    }
  }
  await sendHubMessages(queue, messages);
  return messages.length;
}
