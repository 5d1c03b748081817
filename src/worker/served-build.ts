import type { Context, Next } from 'hono';
import type { ServedPointer, WorkerEnv } from './bindings.ts';
import { StoreUnavailableError } from './store/from-store.ts';
import { readPointer, refreshPointer, resolvePointerSeconds } from './store/read-pointer.ts';

export type ServedBuildOptions = {
  /** Paths that read the pointer afresh instead of the copy this isolate holds (`/healthz`). */
  freshPaths?: readonly string[];
};

/** The response header that names the build a response came from (DESIGN.md). */
export const BUILD_ID_HEADER = 'X-Build-Id';

/**
 * Middleware, first in the app: reads the build pointer once per request (the copy held for
 * BUILD_POINTER_SECONDS, so usually no KV read) and puts that read in the context for every
 * handler, which therefore serves exactly one build; then names that build in `X-Build-Id`
 * on whatever the request is answered with (`none` when no build is served). A handler that
 * names a build itself keeps its header.
 */
export function servedBuild(options: ServedBuildOptions = {}) {
  const freshPaths = new Set(options.freshPaths ?? []);
  return async function servedBuildMiddleware(c: Context<WorkerEnv>, next: Next): Promise<void> {
    const pointer = await readServedPointer(c, freshPaths.has(c.req.path));
    c.set('pointer', pointer);
    await next();
    if (c.res.headers.has(BUILD_ID_HEADER)) return;
    const buildId = buildIdOf(pointer);
    try {
      c.res.headers.set(BUILD_ID_HEADER, buildId);
    } catch {
      // Headers of a Response from fetch() or the Cache API are immutable; Hono copies it.
      c.header(BUILD_ID_HEADER, buildId);
    }
  };
}

/** The build a response names: the one served, or `none`. */
export function buildIdOf(pointer: ServedPointer | undefined): string {
  return pointer?.state === 'loaded' ? pointer.build.buildId : 'none';
}

/**
 * The pointer as this request sees it. A namespace that fails to answer is not our bug and
 * is usually brief: it becomes a 503 (with Retry-After) rather than a 500, logged.
 */
async function readServedPointer(c: Context<WorkerEnv>, fresh: boolean): Promise<ServedPointer> {
  const kv = c.env.FEEDS;
  if (kv === undefined) return { state: 'unbound' };
  const holdSeconds = resolvePointerSeconds(c.env.BUILD_POINTER_SECONDS);
  try {
    return fresh ? await refreshPointer(kv, holdSeconds) : await readPointer(kv, holdSeconds);
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    console.error(`edgefeed: 503 for ${c.req.method} ${c.req.path.slice(0, 200)}`, error);
    return { state: 'unreadable' };
  }
}
