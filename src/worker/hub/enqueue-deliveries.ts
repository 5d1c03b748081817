import type { BuildRecord } from '../../core/build-record.ts';
import type { ManifestEntry } from '../../core/manifest.ts';
import type { HubMessage } from './hub-message.ts';
import { sendHubMessages } from './send-hub-messages.ts';
import { listSubscribers } from './subscriptions.ts';

export type Enqueued = { deliveries: number; pings: number };

/**
 * After a switch to `build`: one `deliver` message per unexpired subscriber of each changed
 * topic (the topic is the siteUrl + path, as subscriptions store it), and, when the build
 * advertises another hub than this worker's own (`--hub-url`), one `ping` per changed topic
 * for that hub (§6). Nothing is sent to anyone here; the queue consumer does that.
 */
export async function enqueueDeliveries(
  queue: Queue,
  db: D1Database,
  build: BuildRecord,
  changed: ReadonlyMap<string, ManifestEntry>,
  now: number,
): Promise<Enqueued> {
  const pathOf = new Map([...changed.keys()].map((path) => [`${build.siteUrl}${path}`, path]));
  const messages: HubMessage[] = [];
  for (const { topic, callback } of await listSubscribers(db, [...pathOf.keys()], now)) {
    const path = pathOf.get(topic);
    const entry = path === undefined ? undefined : changed.get(path);
    if (path === undefined || entry === undefined) continue;
    messages.push({
      kind: 'deliver',
      buildId: build.buildId,
      path,
      topic,
      entry,
      hubUrl: build.hubUrl,
      callback,
    });
  }
  const deliveries = messages.length;
  if (build.hubUrl !== `${build.siteUrl}/hub`) {
    for (const topic of pathOf.keys()) {
      messages.push({ kind: 'ping', buildId: build.buildId, topic, hubUrl: build.hubUrl });
    }
  }
  await sendHubMessages(queue, messages);
  return { deliveries, pings: messages.length - deliveries };
}
