import type { Context, Next } from 'hono';
import type { WorkerEnv } from '../bindings.ts';
import { DailySalts } from './daily-salts.ts';
import { type Hit, StatsBuffer } from './stats-buffer.ts';
import { MAX_BATCH_ENTRIES, statsSettings } from './stats-settings.ts';
import { subscriptionPathOf } from './subscription-path.ts';
import { utcDay } from './utc-day.ts';
import { writeStats } from './write-stats.ts';

export type CountRequestsOptions = {
  /** Where counts gather; one per isolate by default. */
  buffer?: StatsBuffer;
  salts?: DailySalts;
  clock?: () => number;
};

/**
 * A timed write whose request context went away (its isolate was evicted, say) never
 * runs: after this long past its time it is taken for lost and the next request starts
 * another. Workers give waitUntil work 30 s after the response.
 */
const LOST_TIMER_MS = 30_000;

/** Sizes of bodies by ETag, learned by counting them once (an ETag names one body). */
const MAX_KNOWN_SIZES = 1024;

/**
 * Middleware: counts every GET and HEAD of a subscription document that is answered 200,
 * 304 or 429, per document and UTC day, with who asked (docs/stats.md). Nothing is awaited
 * on the request path: counts gather in this isolate and are written to D1 in one batch
 * after STATS_FLUSH_SECONDS or MAX_BATCH_ENTRIES entries, inside `waitUntil`. A failed
 * write is logged and its counts dropped; it can never change or delay a response.
 */
export function countRequests(options: CountRequestsOptions = {}) {
  const buffer = options.buffer ?? new StatsBuffer();
  const salts = options.salts ?? new DailySalts();
  const clock = options.clock ?? Date.now;
  const sizes = new Map<string, number>();
  let prunedDay: string | undefined;

  async function write(db: D1Database): Promise<void> {
    const batch = buffer.take();
    if (batch === undefined) return;
    const now = clock();
    const prune = prunedDay !== utcDay(now);
    try {
      await writeStats(db, batch, { salts, now, prune });
      if (prune) prunedDay = utcDay(now);
    } catch (error) {
      const entries = batch.counts.length + batch.sightings.length;
      console.warn(`edgefeed: stats batch of ${entries} entries dropped: ${String(error)}`);
    }
  }

  return async function countRequests(c: Context<WorkerEnv>, next: Next): Promise<void> {
    const method = c.req.method;
    if (method !== 'GET' && method !== 'HEAD') return next();
    const settings = statsSettings(c.env);
    const db = c.env.DB;
    const path = settings.counting && db !== undefined ? subscriptionPathOf(c) : null;
    if (path === null || db === undefined) return next();
    await next();
    try {
      const status = c.res.status;
      if (status !== 200 && status !== 304 && status !== 429) return;
      const at = clock();
      const hit: Hit = {
        path,
        at,
        status,
        bytes: 0,
        address: c.req.header('CF-Connecting-IP') ?? '',
        userAgent: c.req.header('User-Agent') ?? '',
      };
      let bodySent: Promise<void> | undefined;
      if (status === 200 && method === 'GET') {
        const size = bodySize(c, path, at);
        if (typeof size === 'number') hit.bytes = size;
        else bodySent = size;
      }
      buffer.add(hit);
      const flushMs = settings.flushSeconds * 1000;
      if (buffer.entries >= MAX_BATCH_ENTRIES || flushMs === 0) {
        // A body being counted as it streams out is written with its request's counts.
        afterResponse(c, bodySent === undefined ? write(db) : bodySent.then(() => write(db)));
      } else if (
        buffer.timerSince === undefined ||
        at - buffer.timerSince > flushMs + LOST_TIMER_MS
      ) {
        buffer.timerSince = at;
        const timed = new Promise((resolve) => setTimeout(resolve, flushMs)).then(() => {
          buffer.timerSince = undefined;
          return write(db);
        });
        afterResponse(c, timed);
      }
    } catch (error) {
      console.warn(`edgefeed: a request to ${path} was not counted: ${String(error)}`);
    }
  };

  /**
   * The body's size: its Content-Length, or the size an earlier body with the same ETag
   * turned out to have; else the body is counted as it streams out, its bytes are added
   * to the stats when it ends, and the promise returned settles then.
   */
  function bodySize(c: Context<WorkerEnv>, path: string, at: number): number | Promise<void> {
    const response = c.res;
    const length = response.headers.get('Content-Length');
    if (length !== null && /^\d{1,15}$/.test(length)) return Number(length);
    const etag = response.headers.get('ETag');
    const known = etag === null ? undefined : sizes.get(etag);
    if (known !== undefined) return known;
    if (response.body === null) return 0;
    let counted = 0;
    let sent = () => {};
    const done = new Promise<void>((resolve) => {
      sent = resolve;
    });
    const counter = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        counted += chunk.byteLength;
        controller.enqueue(chunk);
      },
      flush() {
        buffer.addBytes(path, at, counted);
        sent();
        if (etag === null) return;
        sizes.set(etag, counted);
        for (const oldest of sizes.keys()) if (sizes.size > MAX_KNOWN_SIZES) sizes.delete(oldest);
      },
    });
    c.res = new Response(response.body.pipeThrough(counter), response);
    return done;
  }
}

/** Runs `work` after the response (`waitUntil`); without an execution context, unawaited. */
function afterResponse(c: Context<WorkerEnv>, work: Promise<unknown>): void {
  try {
    c.executionCtx.waitUntil(work); // Hono throws when the request came without one
  } catch {
    void work;
  }
}
