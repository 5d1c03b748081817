import type { Context } from 'hono';
import { MEDIA_TYPES } from '../core/media-types.ts';
import type { WorkerEnv } from './bindings.ts';
import { problemResponse } from './problem-response.ts';
import { readBuildRecord } from './read-build-record.ts';
import { bundleUnavailable, MISSING_BINDING, RETRY_AFTER_SECONDS } from './unavailable.ts';

/**
 * `/healthz`: 200 with the loaded build's id, time and counts; 503 with the reason when
 * the binding is missing or no bundle is loaded. One KV read, never cached, so a
 * monitor sees the namespace as it is now.
 */
export async function serveHealth(c: Context<WorkerEnv>): Promise<Response> {
  const accept = c.req.header('Accept');
  const unavailableHeaders = { 'Retry-After': RETRY_AFTER_SECONDS };
  const kv = c.env.FEEDS;
  if (kv === undefined) return problemResponse(MISSING_BINDING, accept, unavailableHeaders);
  const build = await readBuildRecord(kv);
  if (build.state !== 'loaded') {
    return problemResponse(bundleUnavailable(build), accept, unavailableHeaders);
  }
  const { buildId, builtAt, generator, counts } = build.record;
  const body = { status: 'ok', buildId, builtAt, generator, counts };
  return new Response(`${JSON.stringify(body)}\n`, {
    headers: { 'Content-Type': MEDIA_TYPES.json, 'Cache-Control': 'no-store' },
  });
}
