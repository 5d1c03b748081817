/**
 * The Workers Cache API in front of KV. Entries are keyed by the canonical URL (one
 * spelling per document) and always as GET, so HEAD and conditional requests share the
 * entry that a plain GET stored. An entry lives for the document's max-age, so a new
 * bundle reaches the edge within FEED_MAX_AGE seconds.
 */
export function edgeCacheKey(canonicalUrl: string): Request {
  return new Request(canonicalUrl, { method: 'GET' });
}

/** `caches.default`, or undefined where the runtime offers no Cache API. */
export function defaultCache(): Cache | undefined {
  return typeof caches === 'undefined' ? undefined : caches.default;
}
