import { ONE_YEAR_SECONDS } from './cache-control.ts';

/**
 * The Workers Cache API in front of KV holds document bodies by content hash, never by
 * path: a body never changes under its hash, so an entry may live a year, and a switch to
 * another build can never leave an old body under a path of the new one. The URL is a key
 * only; a request for it is a plain 404 like any path the manifest lacks.
 */
export function contentCacheKey(origin: string, hash: string): Request {
  return new Request(`${origin}/.edgefeed/content/${hash}`, { method: 'GET' });
}

/** What a cached body is stored with: only what tells the cache to keep it (RFC 9111 §5.2.2). */
export const CONTENT_CACHE_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': `public, max-age=${ONE_YEAR_SECONDS}, immutable`,
};

/** `caches.default`, or undefined where the runtime offers no Cache API. */
export function defaultCache(): Cache | undefined {
  return typeof caches === 'undefined' ? undefined : caches.default;
}
