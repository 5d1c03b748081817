import type { Context } from 'hono';
import type { WorkerEnv } from './bindings.ts';
import { CONTENT_CACHE_HEADERS, contentCacheKey, defaultCache } from './edge-cache.ts';
import { heldBody, holdBody, resolveMemorySeconds } from './isolate-cache.ts';
import { readContent } from './store/read-content.ts';

/**
 * A document body by its content hash, from the nearest place that has it: this isolate's
 * memory (no I/O), else the edge cache (no KV read), else KV (one read), which then fills
 * both. Every source is keyed by the hash, so each can only ever hold the right bytes.
 */
export async function loadBody(
  c: Context<WorkerEnv>,
  kv: KVNamespace,
  hash: string,
): Promise<ArrayBuffer | ReadableStream> {
  const memorySeconds = resolveMemorySeconds(c.env.MEMORY_CACHE_SECONDS);
  const now = Date.now();
  if (memorySeconds > 0) {
    const inMemory = heldBody(hash, now);
    if (inMemory !== undefined) return inMemory;
  }
  const cache = defaultCache();
  const cacheKey = contentCacheKey(c.get('requestUrl').origin, hash);
  const cached = await cache?.match(cacheKey);
  if (cached?.body) {
    if (memorySeconds === 0) return cached.body;
    const body = await cached.arrayBuffer();
    holdBody(hash, body, memorySeconds, now);
    return body;
  }

  const stream = await readContent(kv, hash);
  if (memorySeconds === 0) {
    const stored = new Response(stream, { headers: CONTENT_CACHE_HEADERS });
    if (cache !== undefined) await storeInCache(c, cache.put(cacheKey, stored.clone()));
    return stored.body ?? new ArrayBuffer(0);
  }
  const body = await new Response(stream).arrayBuffer();
  holdBody(hash, body, memorySeconds, now);
  if (cache !== undefined) {
    await storeInCache(
      c,
      cache.put(cacheKey, new Response(body, { headers: CONTENT_CACHE_HEADERS })),
    );
  }
  return body;
}

/**
 * Lets the cache write finish after the response is sent (`waitUntil`); a failed write
 * only costs a later KV read, so it is logged, never surfaced. Without an execution
 * context (a bare `app.request` call) the write is awaited instead.
 */
async function storeInCache(c: Context<WorkerEnv>, put: Promise<void>): Promise<void> {
  const settled = put.catch((error: unknown) => {
    console.warn('edgefeed: edge cache write failed', error);
  });
  let executionCtx: Context<WorkerEnv>['executionCtx'] | undefined;
  try {
    executionCtx = c.executionCtx; // Hono throws when the request came without one
  } catch {
    executionCtx = undefined;
  }
  if (executionCtx === undefined) await settled;
  else executionCtx.waitUntil(settled);
}
