import { randomUUID } from 'node:crypto';
import type { Queue } from './account.ts';
import { type AccountRequest, failure, jsonBody, paged } from './account-request.ts';
import { envelope, type Settled } from './envelope.ts';

const QUEUE_PATH = /^\/queues\/([^/]+)(\/consumers(?:\/([^/]+))?)?$/;

/**
 * The Queues API: list (`?name=` filters) and create `{ queue_name }`, get one, and its
 * worker consumers (what `wrangler deploy` attaches for `[[queues.consumers]]`).
 */
export function handleQueuesRequest(r: AccountRequest): Settled | undefined {
  if (r.path === '/queues') {
    if (r.method === 'GET') {
      const name = r.url.searchParams.get('name');
      const queues = [...r.account.queues.values()]
        .filter((queue) => name === null || queue.queue_name === name)
        .map(describe);
      return paged(r, queues, 100);
    }
    if (r.method !== 'POST') return undefined;
    const name = jsonBody(r)?.queue_name;
    if (typeof name !== 'string' || name === '')
      return failure(400, 11003, 'queue_name is required');
    if (r.account.queue(name)) return failure(409, 11009, 'Queue name is already taken');
    const queue = r.account.addQueue(name);
    const { consumers: _, ...created } = queue;
    return envelope(200, { result: created });
  }
  const match = QUEUE_PATH.exec(r.path);
  if (match === null) return undefined;
  const queue = r.account.queue(decodeURIComponent(match[1] ?? ''));
  if (queue === undefined) return failure(404, 11000, 'Queue does not exist');
  if (match[2] === undefined)
    return r.method === 'GET' ? envelope(200, { result: describe(queue) }) : undefined;
  const consumerId = match[3];
  if (consumerId === undefined) {
    if (r.method === 'GET') return envelope(200, { result: queue.consumers });
    if (r.method === 'POST') return putConsumer(r, queue, undefined);
    return undefined;
  }
  if (r.method === 'PUT') return putConsumer(r, queue, consumerId);
  if (r.method === 'DELETE') {
    queue.consumers = queue.consumers.filter((consumer) => consumer.consumer_id !== consumerId);
    return envelope(200, { result: {} });
  }
  return undefined;
}

function putConsumer(r: AccountRequest, queue: Queue, consumerId: string | undefined): Settled {
  const body = jsonBody(r) ?? {};
  const script = body.script_name ?? body.script;
  if (typeof script !== 'string') return failure(400, 11003, 'script_name is required');
  const deadLetter = body.dead_letter_queue;
  if (typeof deadLetter === 'string' && deadLetter !== '' && !r.account.queue(deadLetter)) {
    return failure(400, 11000, `dead letter queue ${deadLetter} does not exist`);
  }
  const consumer = {
    consumer_id: consumerId ?? randomUUID().replaceAll('-', ''),
    type: 'worker' as const,
    script,
    settings:
      typeof body.settings === 'object' && body.settings !== null ? { ...body.settings } : {},
    ...(typeof deadLetter === 'string' && deadLetter !== ''
      ? { dead_letter_queue: deadLetter }
      : {}),
    created_on: new Date().toISOString(),
  };
  queue.consumers = [
    ...queue.consumers.filter((c) => c.consumer_id !== consumer.consumer_id),
    consumer,
  ];
  return envelope(200, { result: consumer });
}

function describe(queue: Queue) {
  return {
    queue_id: queue.queue_id,
    queue_name: queue.queue_name,
    created_on: queue.created_on,
    modified_on: queue.modified_on,
    producers: [],
    producers_total_count: 0,
    consumers: queue.consumers,
    consumers_total_count: queue.consumers.length,
  };
}
