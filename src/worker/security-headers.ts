/**
 * Headers for every HTML response. Our pages need no script at all, so the policy allows
 * none; inline styles are allowed because the pre-rendered pages carry their stylesheet
 * inline, and images come only from https (article thumbnails) or data URIs.
 */
export const HTML_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src https: data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'strict-origin-when-cross-origin',
};

/** Whether a Content-Type names an HTML document. */
export function isHtmlType(contentType: string): boolean {
  return contentType.toLowerCase().startsWith('text/html');
}
