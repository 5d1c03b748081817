import type { Context, Next } from 'hono';
import type { WorkerEnv } from '../bindings.ts';
import { corsHeaders } from '../cors.ts';
import { POLLING_BUCKETS, POLLING_LIMIT, POLLING_WINDOW_MS } from './polite-polling.ts';
import { statsSettings } from './stats-settings.ts';
import { subscriptionPathOf } from './subscription-path.ts';

export type LimitPollingOptions = { clock?: () => number };

/**
 * Middleware: polite polling (docs/stats.md). An unconditional GET of a subscription
 * document (neither If-None-Match nor If-Modified-Since) asks the Durable Object of the
 * reader's bucket whether it is the 11th within 10 minutes, and if so is answered 429 Too Many Requests
 * (RFC 6585 §4) with Retry-After (RFC 9110 §10.2.3) and a plain-text reason. Conditional
 * requests, HEAD and every other path never touch it. When the object cannot be reached
 * the request is served: politeness is never worth an outage.
 */
export function limitPolling(options: LimitPollingOptions = {}) {
  const clock = options.clock ?? Date.now;
  return async function limitPolling(
    c: Context<WorkerEnv>,
    next: Next,
  ): Promise<Response | undefined> {
    const namespace = c.env.POLITENESS;
    if (c.req.method !== 'GET' || namespace === undefined) return pass(next);
    const headers = c.req.raw.headers;
    if (headers.has('If-None-Match') || headers.has('If-Modified-Since')) return pass(next);
    if (!statsSettings(c.env).politePolling) return pass(next);
    const path = subscriptionPathOf(c);
    if (path === null) return pass(next);
    let retryAfter: number | undefined;
    try {
      const address = headers.get('CF-Connecting-IP') ?? '';
      const userAgent = (headers.get('User-Agent') ?? '').slice(0, 512);
      const bucket = await bucketOf(address, userAgent);
      const stub = namespace.get(namespace.idFromName(`polite-polling-${bucket}`));
      const verdict = await stub.fetched(address, userAgent, path, clock());
      if (!verdict.allowed) retryAfter = verdict.retryAfterSeconds;
    } catch (error) {
      console.warn(`edgefeed: polite polling unavailable, ${path} served: ${String(error)}`);
    }
    if (retryAfter === undefined) return pass(next);
    return tooManyRequests(path, retryAfter);
  };
}

/**
 * Which of the POLLING_BUCKETS objects a reader's fetches go to: the first byte of a
 * hash of its address and User-Agent, the same in every isolate without a read. A byte
 * says nothing about the address; the object keeps readers under a salted hash of its own.
 * Buckets rather than one object per reader: a few long-lived objects instead of one made
 * and deleted for every reader who comes back after ten minutes.
 */
async function bucketOf(address: string, userAgent: string): Promise<number> {
  const text = new TextEncoder().encode(`${address}\n${userAgent}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', text));
  return (digest[0] ?? 0) % POLLING_BUCKETS;
}

async function pass(next: Next): Promise<undefined> {
  await next();
  return undefined;
}

function tooManyRequests(path: string, retryAfter: number): Response {
  const minutes = POLLING_WINDOW_MS / 60_000;
  const body = `Too many unconditional requests for ${path}: more than ${POLLING_LIMIT} in ${minutes} minutes.
Send If-None-Match with the ETag (or If-Modified-Since with the Last-Modified) of your copy:
an unchanged feed is then a 304, which is never limited. Or retry after ${retryAfter} seconds.
`;
  return new Response(body, {
    status: 429,
    headers: {
      'Content-Type': 'text/plain; charset=utf-8',
      'Retry-After': String(retryAfter),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...corsHeaders(path),
    },
  });
}
