import type { Context, Next } from 'hono';
import type { WorkerEnv } from '../bindings.ts';
import { corsHeaders } from '../cors.ts';
import { toHex } from './daily-salts.ts';
import { POLLING_LIMIT, POLLING_WINDOW_MS } from './polite-polling.ts';
import { statsSettings } from './stats-settings.ts';
import { subscriptionPathOf } from './subscription-path.ts';

export type LimitPollingOptions = { clock?: () => number };

/**
 * Middleware: polite polling (docs/stats.md). An unconditional GET of a subscription
 * document (neither If-None-Match nor If-Modified-Since) asks the reader's Durable Object
 * whether it is the 11th within 10 minutes, and if so is answered 429 Too Many Requests
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
      const reader = await readerKey(
        headers.get('CF-Connecting-IP') ?? '',
        headers.get('User-Agent') ?? '',
      );
      const verdict = await namespace.get(namespace.idFromName(reader)).fetched(path, clock());
      if (!verdict.allowed) retryAfter = verdict.retryAfterSeconds;
    } catch (error) {
      console.warn(`edgefeed: polite polling unavailable, ${path} served: ${String(error)}`);
    }
    if (retryAfter === undefined) return pass(next);
    return tooManyRequests(path, retryAfter);
  };
}

/**
 * The Durable Object a reader's fetches go to: a hash of its address and User-Agent, the
 * same in every isolate without a read. Only the object's name carries it, and the object
 * deletes its own storage ten minutes after the reader's last fetch.
 */
async function readerKey(address: string, userAgent: string): Promise<string> {
  const text = new TextEncoder().encode(`polite-polling\n${address}\n${userAgent.slice(0, 512)}`);
  return toHex(new Uint8Array(await crypto.subtle.digest('SHA-256', text)));
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
