/**
 * The public URL table (DESIGN.md) and the one function that maps a served path to its
 * KV key. The build writes documents under these keys and the worker reads them back
 * with the same function, so the two can never disagree.
 */

export const FEED_FORMATS = ['rss.xml', 'atom.xml', 'feed.json'] as const;
export type FeedFormat = (typeof FEED_FORMATS)[number];

export type FeedScope =
  | { kind: 'site' }
  | { kind: 'topic'; key: string }
  | { kind: 'provider'; key: string };

/** Documents that are not feeds, by path. */
export const SITE_PAGES = ['/', '/opml.xml', '/feeds.json'] as const;

/** The directory path of a feed scope, without a trailing slash ('' for the site). */
export function scopeDirectory(scope: FeedScope): string {
  if (scope.kind === 'site') return '';
  const folder = scope.kind === 'topic' ? 'topics' : 'providers';
  return `/${folder}/${encodeURIComponent(scope.key)}`;
}

/** The path of one feed document, e.g. `/topics/ai/rss.xml`. */
export function feedPath(scope: FeedScope, format: FeedFormat): string {
  return `${scopeDirectory(scope)}/${format}`;
}

/** The path of a scope's HTML page: `/` for the site, `/topics/ai/` for a topic. */
export function pagePath(scope: FeedScope): string {
  return `${scopeDirectory(scope)}/`;
}

/**
 * The folder of page `page` (1 = oldest) of a feed's archive (RFC 5005 §4):
 * `/archive/3`, `/topics/ai/archive/3`.
 */
export function archiveDirectory(scope: FeedScope, page: number): string {
  return `${scopeDirectory(scope)}/archive/${page}`;
}

/** One format of an archive page, e.g. `/topics/ai/archive/3/atom.xml`. */
export function archiveFeedPath(scope: FeedScope, page: number, format: FeedFormat): string {
  return `${archiveDirectory(scope, page)}/${format}`;
}

/** The HTML page of an archive page, e.g. `/topics/ai/archive/3/`. */
export function archivePagePath(scope: FeedScope, page: number): string {
  return `${archiveDirectory(scope, page)}/`;
}

const ARCHIVE_PATH = /\/archive\/[1-9][0-9]{0,8}\/(?:rss\.xml|atom\.xml|feed\.json)$/;

/**
 * Whether a canonical path is an archive document: sealed, so its bytes never change once
 * published (RFC 5005 §4.1), and it may be cached for a year. An archive page's HTML page
 * (`…/archive/3/`) is not: its "newer" link moves when the next page is sealed.
 */
export function isArchivePath(path: string): boolean {
  return ARCHIVE_PATH.test(path);
}

/** Whether a canonical path is a subscription document: a feed that is not an archive. */
export function isSubscriptionPath(path: string): boolean {
  const last = path.slice(path.lastIndexOf('/') + 1);
  return (FEED_FORMATS as readonly string[]).includes(last) && !isArchivePath(path);
}

/**
 * The longest path a build writes is under 300 characters: `/providers/`, a domain (at most
 * 253), `/archive/N/feed.json`; topic slugs stop at 200 (docs/hostile-input.md).
 */
const MAX_PATH_LENGTH = 400;

/**
 * Whether a canonical path has the shape of a document path at all: what `feedPath` and
 * `pagePath` write (percent-encoded segments, no empty or dot segments). The build writes no
 * other, and the worker answers any other with a 404 decided without looking at the
 * manifest, so it costs no KV read even in a new isolate.
 */
/**
 * Where a subscription or archive document's HTML view (what a browser navigation gets) is
 * in a build's manifest: the document's path and `?view`, which no request can name (a
 * canonical path has no `?`), so the view is reached only through its feed's URL.
 */
export function feedViewPath(path: string): string {
  return `${path}${VIEW_SUFFIX}`;
}

export function isFeedViewPath(path: string): boolean {
  return path.endsWith(VIEW_SUFFIX);
}

/** The feed document a view belongs to (the path itself when it is no view). */
export function viewedFeedPath(path: string): string {
  return isFeedViewPath(path) ? path.slice(0, -VIEW_SUFFIX.length) : path;
}

const VIEW_SUFFIX = '?view';

export function canBeDocumentPath(path: string): boolean {
  if (path.length > MAX_PATH_LENGTH) return false;
  if (!/^\/[A-Za-z0-9._~%/-]*$/.test(path)) return false;
  return !path.includes('//') && !/(^|\/)\.\.?(\/|$)/.test(path);
}
