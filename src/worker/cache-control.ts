/** Used when FEED_MAX_AGE is unset or not a whole number of seconds. */
export const DEFAULT_MAX_AGE = 300;

/**
 * How long a cache may keep serving a stale feed while it refetches in the background
 * (RFC 5861 §3): one hour, long enough to ride out a slow origin, short enough that a
 * reader never sees a day-old feed.
 */
export const STALE_WHILE_REVALIDATE = 3600;

/** One year: the longest max-age caches are expected to honour (RFC 9111 §1.2.2). */
export const ONE_YEAR_SECONDS = 31_536_000;

/**
 * Archive pages are sealed (RFC 5005 §4.2: their contents never change once published), so
 * any cache may keep them a year, and `immutable` (RFC 8246 §2) tells browsers not to
 * revalidate them even on reload.
 */
export const ARCHIVE_CACHE_CONTROL = `public, max-age=${ONE_YEAR_SECONDS}, immutable`;

/** Reads FEED_MAX_AGE (seconds); falls back to the default rather than failing requests. */
export function resolveMaxAge(value: string | undefined): number {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return DEFAULT_MAX_AGE;
  return Number(value);
}

/**
 * Cache-Control for stored documents (RFC 9111 §5.2.2): shared caches may store them,
 * for a short max-age because feed readers poll, with stale-while-revalidate so a busy
 * feed never waits on a refetch.
 */
export function documentCacheControl(maxAge: number): string {
  return `public, max-age=${maxAge}, stale-while-revalidate=${STALE_WHILE_REVALIDATE}`;
}
