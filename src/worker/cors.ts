import { FEED_FORMATS } from '../core/document-paths.ts';

/** Methods every document route answers (RFC 9110 §10.2.1 `Allow`). */
export const ALLOWED_METHODS = 'GET, HEAD, OPTIONS';

/**
 * Web-based feed readers fetch feeds cross-origin, so feeds, the OPML list and
 * /feeds.json are readable from any origin. HTML pages are not: nothing needs them.
 */
export function isCrossOriginPath(path: string): boolean {
  if (path === '/opml.xml' || path === '/feeds.json') return true;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return (FEED_FORMATS as readonly string[]).includes(last);
}

/**
 * CORS response headers for a cross-origin path (Fetch standard, "CORS protocol").
 * ETag, Link and X-Build-Id are not CORS-safelisted response headers, so they are exposed
 * explicitly: a reader needs the tag for its next conditional request and the Link header to
 * find the WebSub hub (W3C WebSub §4).
 */
export function corsHeaders(path: string): Record<string, string> {
  if (!isCrossOriginPath(path)) return {};
  return {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': 'ETag, Link, X-Build-Id',
  };
}

/**
 * Preflight answer headers. If-None-Match and If-Modified-Since are not CORS-safelisted
 * request headers, so a cross-origin conditional GET is preflighted and must be allowed.
 */
export function preflightHeaders(path: string): Record<string, string> {
  if (!isCrossOriginPath(path)) return { Allow: ALLOWED_METHODS };
  return {
    Allow: ALLOWED_METHODS,
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Allow-Headers': 'If-None-Match, If-Modified-Since, Cache-Control',
    'Access-Control-Max-Age': '86400',
  };
}
