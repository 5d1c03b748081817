import { isSealedOutboxPage } from '../core/actor-paths.ts';
import type { BuildRecord } from '../core/build-record.ts';
import { isArchivePath, isFeedViewPath, isSubscriptionPath } from '../core/document-paths.ts';
import type { ManifestEntry } from '../core/manifest.ts';
import { DOCUMENT_TYPES } from '../core/media-types.ts';
import { FEED_VARY } from './browser-navigation.ts';
import { ARCHIVE_CACHE_CONTROL, documentCacheControl } from './cache-control.ts';
import type { Validators } from './conditional-request.ts';
import { corsHeaders } from './cors.ts';
import { HTML_SECURITY_HEADERS, isHtmlType } from './security-headers.ts';
import { websubLink } from './websub-link.ts';

/**
 * A document's validators, from its manifest entry alone: the strong ETag is the content
 * hash quoted (RFC 9110 §8.8.3; it changes exactly when the bytes do), Last-Modified its
 * newest item's time as an IMF-fixdate (§8.8.2, §5.6.7), which `toUTCString` writes.
 */
export function entryValidators(entry: ManifestEntry): { etag: string; lastModified: string } {
  return { etag: `"${entry[0]}"`, lastModified: new Date(entry[1] * 1000).toUTCString() };
}

/**
 * Response headers of a stored document, from its manifest entry, its path and the build it
 * belongs to: its Content-Type and validators; caching (a year and `immutable` for sealed
 * archive pages, FEED_MAX_AGE for the rest); CORS for feeds; the security headers for HTML
 * pages; the WebSub Link on subscription documents. Vary: Accept-Encoding because the edge
 * may compress the body (RFC 9110 §12.5.5), and on feeds and their HTML views
 * Sec-Fetch-Dest and Sec-Fetch-Mode too (a browser's navigation gets the view). Range is not supported (RFC 9110 §14.2 lets a
 * server ignore it): a feed is small and read whole, and Accept-Ranges: none (§14.3) says so.
 */
export function documentHeaders(
  path: string,
  entry: ManifestEntry,
  build: BuildRecord,
  maxAge: number,
): { headers: Headers; validators: Validators } {
  const contentType = DOCUMENT_TYPES[entry[2]];
  const validators = entryValidators(entry);
  const view = isFeedViewPath(path);
  const feed = view || isSubscriptionPath(path) || isArchivePath(path);
  const headers = new Headers({
    'Content-Type': contentType,
    ETag: validators.etag,
    'Last-Modified': validators.lastModified,
    'Cache-Control':
      isArchivePath(path) || isSealedOutboxPage(path)
        ? ARCHIVE_CACHE_CONTROL
        : documentCacheControl(maxAge),
    Vary: feed ? FEED_VARY : 'Accept-Encoding',
    'Accept-Ranges': 'none',
    ...(view ? {} : corsHeaders(path)),
  });
  if (isHtmlType(contentType)) {
    for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) headers.set(name, value);
  }
  if (isSubscriptionPath(path)) {
    const link = websubLink(build, path);
    if (link !== undefined) headers.set('Link', link);
  }
  return { headers, validators };
}
