import type { Context, Next } from 'hono';
import { canonicalPath } from '../core/canonical-path.ts';
import type { WorkerEnv } from './bindings.ts';
import { findCanonicalRedirect } from './canonical-redirect.ts';

/**
 * Middleware: 301 (RFC 9110 §15.4.2) from an alias or non-canonical spelling to the
 * canonical path, with a relative Location (RFC 9110 §10.2.2) that is always a path on
 * this origin. Costs no KV read; the target may still be a 404.
 */
export async function redirectToCanonical(
  c: Context<WorkerEnv>,
  next: Next,
): Promise<Response | undefined> {
  const url = new URL(c.req.url);
  const path = canonicalPath(url.pathname);
  const location = path === undefined ? undefined : findCanonicalRedirect(path);
  if (location === undefined) {
    c.set('requestUrl', url);
    c.set('canonicalPath', path);
    await next();
    return undefined;
  }
  return new Response(null, {
    status: 301,
    headers: { Location: location, 'Cache-Control': 'public, max-age=86400' },
  });
}
