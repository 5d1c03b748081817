/**
 * Headers for every HTML response. Our pages need no script at all, so the policy allows
 * none (CSP Level 3, `default-src 'none'`); styles come from /style.css or inline (error
 * pages), images from this origin (/icon.svg), https (article thumbnails) or data URIs.
 */
export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

/** Whether a Content-Type names an HTML document. */
export function isHtmlType(contentType: string): boolean {
  return contentType.toLowerCase().startsWith('text/html');
}
