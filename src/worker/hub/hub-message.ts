// zod/mini: every message is checked when consumed, and the worker pays for schema code.
import * as z from 'zod/mini';
import { ManifestEntrySchema } from '../../core/manifest.ts';

/**
 * A message on HUB_QUEUE, sent by the deploy trigger:
 * - `deliver`: one changed subscription document to one subscriber (W3C WebSub §7). It
 *   carries the document's manifest entry (content hash, Last-Modified, type), so the
 *   consumer reads exactly those bytes wherever it runs, whatever build its KV edge thinks is
 *   current; the subscriber's secret is read from D1 at delivery time.
 * - `ping`: tell an external hub (`--hub-url`) that a topic changed (§6).
 * - `activity`: one ActivityPub activity (an Accept, a Create, a Delete) from one of our
 *   actors to one inbox, signed when sent (src/worker/activitypub/deliver-activity.ts); the
 *   same queue, so the same retries and dead-letter record as the hub's deliveries.
 */
export const HubMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('deliver'),
    buildId: z.string(),
    path: z.string(),
    topic: z.string(),
    entry: ManifestEntrySchema,
    hubUrl: z.string(),
    callback: z.string(),
  }),
  z.object({
    kind: z.literal('ping'),
    buildId: z.string(),
    topic: z.string(),
    hubUrl: z.string(),
  }),
  z.object({
    kind: z.literal('activity'),
    buildId: z.string(),
    /** Our actor's URL: the activity's actor, whose `#main-key` signs. */
    actor: z.string(),
    inbox: z.string(),
    /** The activity, JSON text, sent byte for byte. */
    activity: z.string(),
  }),
]);
export type HubMessage = z.infer<typeof HubMessageSchema>;
export type DeliverMessage = Extract<HubMessage, { kind: 'deliver' }>;
export type PingMessage = Extract<HubMessage, { kind: 'ping' }>;
export type ActivityMessage = Extract<HubMessage, { kind: 'activity' }>;

/** The queues of wrangler.toml, by the names the consumer sees in `batch.queue`. */
export const HUB_QUEUE_NAME = 'edgefeed-websub';
export const HUB_DEAD_LETTER_QUEUE_NAME = 'edgefeed-websub-dead';
