import type { Context } from 'hono';
import {
  canBeDocumentPath,
  feedViewPath,
  isArchivePath,
  isSubscriptionPath,
} from '../core/document-paths.ts';
import { serveActor } from './activitypub/serve-actor.ts';
import type { WorkerEnv } from './bindings.ts';
import { isBrowserNavigation } from './browser-navigation.ts';
import { resolveMaxAge } from './cache-control.ts';
import { isNotModified } from './conditional-request.ts';
import { corsHeaders } from './cors.ts';
import { describeMissing } from './describe-missing.ts';
import { loadBody } from './load-body.ts';
import { carriedHeaders } from './not-modified-headers.ts';
import { preparedHeaders } from './prepared-headers.ts';
import type { Problem } from './problem.ts';
import { problemResponse } from './problem-response.ts';
import { injectPushCounts, pageScope } from './push-counts/inject-push-counts.ts';
import { findDocument } from './store/find-document.ts';
import { noBuildProblem, UNAVAILABLE_HEADERS } from './unavailable.ts';

/**
 * GET and HEAD of any stored document, from the one build the request's pointer read names:
 * path → manifest entry (its shard, held in this isolate once read) → headers, validators and
 * a 304 decided from the entry alone → the body by its content hash. KV reads, on an isolate
 * that holds the pointer and the shard:
 * - a path the manifest lacks, a 304, a HEAD: 0;
 * - a body held in this isolate's memory or in the edge cache: 0;
 * - a body from KV: 1 (`c:<hash>`), which then fills the edge cache and the memory.
 * A new isolate first reads the pointer and the path's shard (one small read each).
 */
export async function serveDocument(c: Context<WorkerEnv>): Promise<Response> {
  // Parsed and spelled once, by the redirectToCanonical middleware that runs before this.
  const url = c.get('requestUrl');
  const accept = c.req.header('Accept');
  const path = c.get('canonicalPath');
  if (path === undefined || !canBeDocumentPath(path)) {
    return problemResponse(describeMissing(url.pathname), accept);
  }
  const pointer = c.get('pointer');
  const kv = c.env.FEEDS;
  if (kv === undefined) return unavailable(noBuildProblem({ state: 'unbound' }), accept);
  if (pointer.state !== 'loaded') return unavailable(noBuildProblem(pointer), accept);
  // A browser opening a feed's URL gets the feed's pre-rendered HTML view instead: one
  // manifest lookup either way (the view is its own entry), and a build without views
  // answers with the feed.
  const feed = isSubscriptionPath(path) || isArchivePath(path);
  const view =
    feed && isBrowserNavigation(c.req.raw.headers)
      ? await findDocument(kv, pointer.build, feedViewPath(path))
      : undefined;
  const served = view === undefined ? path : feedViewPath(path);
  const entry = view ?? (await findDocument(kv, pointer.build, path));
  if (entry === undefined) return problemResponse(describeMissing(path), accept, corsHeaders(path));

  const maxAge = resolveMaxAge(c.env.FEED_MAX_AGE);
  const { headers, notModified, validators } = preparedHeaders(
    pointer.build,
    served,
    entry,
    maxAge,
  );
  if (showsPushCounts(path)) {
    // Its bytes change with the push subscriber counts, so its validators are known only
    // once the counts are in (injectPushCounts): read, fill, then decide the 304.
    const body = await loadBody(c, kv, entry[0]);
    const full = await injectPushCounts(path, new Response(body, { headers }), c.env);
    const counted = {
      etag: full.headers.get('ETag'),
      lastModified: full.headers.get('Last-Modified'),
    };
    if (isNotModified(c.req.raw.headers, counted)) {
      await full.body?.cancel();
      return new Response(null, { status: 304, headers: carriedHeaders(full.headers) });
    }
    return c.req.method === 'HEAD' ? new Response(null, full) : full;
  }
  if (entry[2] === 'activity' && path.endsWith('/actor')) {
    // An actor shows the worker's public key, put in on the way out (serve-actor.ts).
    return serveActor(c, kv, entry[0], { headers, notModified, validators });
  }
  if (isNotModified(c.req.raw.headers, validators)) {
    // RFC 9110 §15.4.5: no body, and the validators and caching headers a 200 would carry.
    return new Response(null, { status: 304, headers: notModified });
  }
  // Hono answers HEAD with this handler's headers and no body, so the body is not loaded.
  if (c.req.method === 'HEAD') return new Response(null, { headers });
  return new Response(await loadBody(c, kv, entry[0]), { headers });
}

function unavailable(problem: Problem, accept: string | undefined): Response {
  return problemResponse(problem, accept, UNAVAILABLE_HEADERS);
}

/** Scope pages and /feeds.json show how many push subscribers each feed has. */
function showsPushCounts(path: string): boolean {
  return path === '/feeds.json' || pageScope(path) !== undefined;
}
