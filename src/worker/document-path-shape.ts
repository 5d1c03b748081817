/**
 * The longest path a build writes is under 300 characters: `/providers/`, a domain (at most
 * 253), `/archive/N/feed.json`; topic slugs stop at 200 (docs/hostile-input.md).
 */
const MAX_PATH_LENGTH = 400;

/**
 * Whether a canonical path has the shape of a document path at all: what `feedPath` and
 * `pagePath` write (percent-encoded segments, no empty or dot segments). Any other path is a
 * 404 decided without looking at the manifest, so it costs no KV read even in a new isolate.
 */
export function canBeDocumentPath(path: string): boolean {
  if (path.length > MAX_PATH_LENGTH) return false;
  if (!/^\/[A-Za-z0-9._~%/-]*$/.test(path)) return false;
  return !path.includes('//') && !/(^|\/)\.\.?(\/|$)/.test(path);
}
