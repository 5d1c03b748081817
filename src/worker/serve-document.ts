import type { Context } from 'hono';
import { documentKey } from '../core/document-paths.ts';
import type { WorkerEnv } from './bindings.ts';
import { resolveMaxAge } from './cache-control.ts';
import { corsHeaders } from './cors.ts';
import { describeMissing } from './describe-missing.ts';
import { documentHeaders } from './document-headers.ts';
import { defaultCache, edgeCacheKey } from './edge-cache.ts';
import { answerFromHeld, hold, resolveMemorySeconds } from './isolate-cache.ts';
import { problemResponse } from './problem-response.ts';
import { readBuildRecord } from './read-build-record.ts';
import { readDocument } from './read-document.ts';
import { respondConditionally } from './respond-conditionally.ts';
import { bundleUnavailable, MISSING_BINDING, RETRY_AFTER_SECONDS } from './unavailable.ts';

/**
 * GET and HEAD of any stored document. Cost in KV reads:
 * - held in this isolate's memory (200 or 304): 0, and no Cache API call either;
 * - edge-cache hit (200 or 304): 0;
 * - cache miss, document found (200 or 304): 1 (`getWithMetadata`), then the response is
 *   put in the edge cache after it is sent;
 * - document absent: 2 (the document, then `meta:build` to tell 404 from 503);
 * - a path that can never be a document: 0.
 */
export async function serveDocument(c: Context<WorkerEnv>): Promise<Response> {
  // Parsed and spelled once, by the redirectToCanonical middleware that runs before this.
  const url = c.get('requestUrl');
  const accept = c.req.header('Accept');
  const path = c.get('canonicalPath');
  const key = path === undefined ? undefined : documentKey(path);
  if (path === undefined || key === undefined) {
    return problemResponse(describeMissing(url.pathname), accept);
  }
  const canonicalUrl = `${url.origin}${path}`;
  const memorySeconds = resolveMemorySeconds(c.env.MEMORY_CACHE_SECONDS);
  const now = Date.now();
  if (memorySeconds > 0) {
    const inMemory = answerFromHeld(c.req.raw, canonicalUrl, now);
    if (inMemory !== undefined) return inMemory;
  }
  const cacheKey = edgeCacheKey(canonicalUrl);
  const cache = defaultCache();
  const cached = await cache?.match(cacheKey);
  if (cached !== undefined) {
    const full = memorySeconds > 0 ? await hold(canonicalUrl, cached, memorySeconds, now) : cached;
    return respondConditionally(c.req.raw, full);
  }

  const kv = c.env.FEEDS;
  if (kv === undefined) return unavailable(MISSING_BINDING, accept);
  const document = await readDocument(kv, key);
  if (document === undefined) {
    const build = await readBuildRecord(kv);
    if (build.state !== 'loaded') return unavailable(bundleUnavailable(build), accept);
    return problemResponse(describeMissing(path), accept, corsHeaders(path));
  }
  const headers = documentHeaders(path, document.metadata, resolveMaxAge(c.env.FEED_MAX_AGE));
  let full = new Response(document.body, { headers });
  if (cache !== undefined) await storeInCache(c, cache.put(cacheKey, full.clone()));
  if (memorySeconds > 0) full = await hold(canonicalUrl, full, memorySeconds, now);
  return respondConditionally(c.req.raw, full);
}

function unavailable(problem: Parameters<typeof problemResponse>[0], accept: string | undefined) {
  return problemResponse(problem, accept, { 'Retry-After': RETRY_AFTER_SECONDS });
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
