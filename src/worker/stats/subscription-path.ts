import type { Context } from 'hono';
import { canonicalPath } from '../../core/canonical-path.ts';
import { isSubscriptionPath } from '../../core/document-paths.ts';
import type { WorkerEnv } from '../bindings.ts';

/** Characters encodeURIComponent leaves alone, and slashes. */
const PLAIN_PATH = /^[A-Za-z0-9._~/-]*$/;

/**
 * The canonical path of the request when it names a subscription document (a feed that
 * is not an archive page), else null; worked out once per request and kept in the
 * context, since counting and polite polling both ask.
 */
export function subscriptionPathOf(c: Context<WorkerEnv>): string | null {
  const known = c.get('subscriptionPath');
  if (known !== undefined) return known;
  const raw = c.req.path;
  // Nothing to decode: the path is its own canonical spelling (the usual case, and
  // canonicalPath's decoding and re-encoding is most of what counting costs a request).
  const path = PLAIN_PATH.test(raw) ? raw : canonicalPath(raw);
  const found = path !== undefined && isSubscriptionPath(path) ? path : null;
  c.set('subscriptionPath', found);
  return found;
}

/** A document's feed group: its folder, shared by the feed's three formats (`/topics/ai/`). */
export function feedFolder(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}
