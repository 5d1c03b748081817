import type { DocumentMetadata } from '../core/document-record.ts';
import { documentCacheControl } from './cache-control.ts';
import { corsHeaders } from './cors.ts';
import { HTML_SECURITY_HEADERS, isHtmlType } from './security-headers.ts';

/**
 * Response headers of a stored document, all from its KV metadata: the document's own
 * Content-Type and validators (RFC 9110 §8.8.2, §8.8.3), caching policy, CORS for feeds,
 * and the security headers for HTML pages. Vary: Accept-Encoding because the edge may
 * compress the body (RFC 9110 §12.5.5). Range requests are not supported (RFC 9110 §14.2
 * lets a server ignore Range): a feed is small and read whole, so every GET gets the full
 * 200, and Accept-Ranges: none (§14.3) tells clients not to ask.
 */
export function documentHeaders(path: string, metadata: DocumentMetadata, maxAge: number): Headers {
  const headers = new Headers({
    'Content-Type': metadata.contentType,
    ETag: metadata.etag,
    'Last-Modified': metadata.lastModified,
    'Cache-Control': documentCacheControl(maxAge),
    Vary: 'Accept-Encoding',
    'Accept-Ranges': 'none',
    ...corsHeaders(path),
  });
  if (isHtmlType(metadata.contentType)) {
    for (const [name, value] of Object.entries(HTML_SECURITY_HEADERS)) headers.set(name, value);
  }
  return headers;
}
