import { deliverActivity } from '../activitypub/deliver-activity.ts';
import type { WorkerBindings } from '../bindings.ts';
import { deliverContent } from './deliver-content.ts';
import { clearDeliveryFailures, recordDeliveryFailure } from './delivery-failures.ts';
import type { DeliveryResult } from './delivery-result.ts';
import { retryDelaySeconds } from './hub-limits.ts';
import { HUB_DEAD_LETTER_QUEUE_NAME, type HubMessage, HubMessageSchema } from './hub-message.ts';
import { pingHub } from './ping-hub.ts';
import { recordDeadLetter } from './record-dead-letters.ts';

/**
 * The queue handler: HUB_QUEUE's messages are sent (all of a batch at once, each with its
 * own 15 s timeout) and acked, or retried after retryDelaySeconds(attempts) (exponential
 * backoff: Queues moves a message that exhausted max_retries to the dead-letter queue);
 * the dead-letter queue's messages are recorded in D1. A message that does not parse can
 * never succeed: it is logged and acked.
 */
export async function consumeHubQueue(
  batch: MessageBatch<unknown>,
  env: WorkerBindings,
): Promise<void> {
  const { FEEDS: kv, DB: db } = env;
  if (kv === undefined || db === undefined) {
    console.error('edgefeed hub: queue messages wait: the FEEDS or DB binding is missing');
    batch.retryAll({ delaySeconds: retryDelaySeconds(batch.messages[0]?.attempts ?? 1) });
    return;
  }
  const deadLetters = batch.queue === HUB_DEAD_LETTER_QUEUE_NAME;
  await Promise.all(
    batch.messages.map(async (message) => {
      const parsed = HubMessageSchema.safeParse(message.body);
      if (!parsed.success) {
        console.error(`edgefeed hub: dropped malformed message ${message.id} on ${batch.queue}`);
        message.ack();
        return;
      }
      try {
        if (deadLetters) {
          await recordDeadLetter(db, parsed.data, Date.now());
          message.ack();
        } else {
          await settle(message, await send(parsed.data, kv, db, env), parsed.data, db);
        }
      } catch (error) {
        // Our side failed (D1, KV): not the subscriber's fault, but retried the same way.
        console.error(`edgefeed hub: message ${message.id} on ${batch.queue} failed`, error);
        message.retry({ delaySeconds: retryDelaySeconds(message.attempts) });
      }
    }),
  );
}

function send(
  message: HubMessage,
  kv: KVNamespace,
  db: D1Database,
  env: WorkerBindings,
): Promise<DeliveryResult> {
  const allowLoopback = env.HUB_ALLOW_LOOPBACK === 'true';
  if (message.kind === 'ping') return pingHub(message, allowLoopback);
  if (message.kind === 'activity') return deliverActivity(message, db, env);
  const context = { kv, db, allowLoopback, pointerSeconds: env.BUILD_POINTER_SECONDS };
  return deliverContent(context, message, Date.now());
}

async function settle(
  message: Message<unknown>,
  result: DeliveryResult,
  body: HubMessage,
  db: D1Database,
): Promise<void> {
  const target =
    body.kind === 'deliver' ? body.callback : body.kind === 'ping' ? body.hubUrl : body.inbox;
  const topic = body.kind === 'activity' ? body.actor : body.topic;
  if (result.outcome === 'failed') {
    const delaySeconds = retryDelaySeconds(message.attempts);
    console.log(
      `edgefeed hub: ${body.kind} of ${topic} to ${target} failed (attempt ${message.attempts}, next in ${delaySeconds} s): ${result.failure}`,
    );
    if (body.kind === 'deliver') {
      await recordDeliveryFailure(db, body.topic, body.callback, result.failure, Date.now());
    }
    message.retry({ delaySeconds });
    return;
  }
  if (result.outcome === 'delivered' && body.kind === 'deliver') {
    await clearDeliveryFailures(db, body.topic, body.callback);
  }
  if (result.outcome === 'skipped') {
    console.log(`edgefeed hub: ${body.kind} of ${topic} to ${target} skipped: ${result.why}`);
  }
  if (result.outcome === 'ended') {
    console.log(`edgefeed hub: ${target} answered 410 Gone; its subscription to ${topic} ended`);
  }
  message.ack();
}
