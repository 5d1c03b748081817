import type { HubMessage } from './hub-message.ts';

/** Queues take at most 100 messages per sendBatch call. */
const BATCH = 100;

/** Puts `messages` on HUB_QUEUE in order, a batch of at most 100 per call. */
export async function sendHubMessages(
  queue: Queue,
  messages: readonly HubMessage[],
): Promise<void> {
  for (let start = 0; start < messages.length; start += BATCH) {
    await queue.sendBatch(
      messages.slice(start, start + BATCH).map((body) => ({ body, contentType: 'json' as const })),
    );
  }
}
