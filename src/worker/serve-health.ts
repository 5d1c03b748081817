import type { Context } from 'hono';
import type { KeptBuild } from '../core/build-record.ts';
import { MEDIA_TYPES } from '../core/media-types.ts';
import type { WorkerEnv } from './bindings.ts';
import { problemResponse } from './problem-response.ts';
import { noBuildProblem, UNAVAILABLE_HEADERS } from './unavailable.ts';

/**
 * `/healthz`: 200 with the build served (id, time, generator, counts, when it was switched
 * to) and the builds kept for rollback, most recently served first; 503 with the reason
 * when the binding is missing or no valid pointer is stored. The app reads the pointer
 * afresh for this path (one KV read, not the copy the isolate holds) and the answer is
 * never cached, so a monitor sees the namespace as it is now.
 */
export function serveHealth(c: Context<WorkerEnv>): Response {
  const pointer = c.get('pointer');
  if (pointer.state !== 'loaded') {
    return problemResponse(noBuildProblem(pointer), c.req.header('Accept'), UNAVAILABLE_HEADERS);
  }
  const { buildId, builtAt, generator, counts, switchedAt } = pointer.build;
  const kept = pointer.pointer.builds
    .filter((build) => build.buildId !== buildId)
    .map(describeKept);
  const body = { status: 'ok', buildId, builtAt, generator, counts, switchedAt, kept };
  return new Response(`${JSON.stringify(body)}\n`, {
    headers: { 'Content-Type': MEDIA_TYPES.json, 'Cache-Control': 'no-store' },
  });
}

function describeKept(build: KeptBuild) {
  const { buildId, builtAt, switchedAt, retiredAt, counts } = build;
  return retiredAt === undefined
    ? { buildId, builtAt, switchedAt, counts }
    : { buildId, builtAt, switchedAt, retiredAt, counts };
}
