import {
  createExecutionContext,
  createMessageBatch,
  getQueueResult,
  type QueueResult,
} from 'cloudflare:test';
import { vi } from 'vitest';
import { HUB_QUEUE_NAME } from '../../../src/worker/hub/hub-message.ts';
import worker from '../../../src/worker/index.ts';
import { hubEnv } from './hub-client.ts';

let next = 0;

export type QueueRun = {
  result: QueueResult;
  ids: string[];
  /**
   * The delay each retried message asked for. getQueueResult (plugin 1.5.0) reports which
   * messages were retried but drops their `delaySeconds`, so `retry` is watched directly.
   */
  retries: { msgId: string; delaySeconds: number | undefined }[];
};

/**
 * Hands messages to the worker's queue handler as Queues would (`attempts` is how many times
 * each has been delivered, this time included) and returns what it acked and retried.
 */
export async function runQueue(
  bodies: readonly unknown[],
  options: { queue?: string; attempts?: number; env?: Env } = {},
): Promise<QueueRun> {
  const messages = bodies.map((body) => ({
    id: `message-${++next}`,
    timestamp: new Date(1_700_000_000_000),
    attempts: options.attempts ?? 1,
    body,
  }));
  const batch = createMessageBatch(options.queue ?? HUB_QUEUE_NAME, messages);
  const retries: QueueRun['retries'] = [];
  for (const message of batch.messages) {
    const retry = message.retry.bind(message);
    vi.spyOn(message, 'retry').mockImplementation((retryOptions) => {
      retries.push({ msgId: message.id, delaySeconds: retryOptions?.delaySeconds });
      retry(retryOptions);
    });
  }
  const ctx = createExecutionContext();
  await worker.queue(batch, options.env ?? hubEnv());
  return { result: await getQueueResult(batch, ctx), ids: messages.map((m) => m.id), retries };
}
