/**
 * Whether a request is a browser's navigation to the URL: `Sec-Fetch-Dest: document` and
 * `Sec-Fetch-Mode: navigate` (Fetch Metadata Request Headers, W3C; every current browser
 * sends both on a top-level navigation, feed readers and `curl` send neither). Accept alone
 * never decides: some readers send a browser's Accept. Anything else, missing or not
 * understood, is not a navigation, so it gets the feed.
 */
export function isBrowserNavigation(headers: Headers): boolean {
  return (
    headers.get('Sec-Fetch-Dest')?.trim().toLowerCase() === 'document' &&
    headers.get('Sec-Fetch-Mode')?.trim().toLowerCase() === 'navigate'
  );
}

/** What a feed document's answer depends on, for `Vary` (RFC 9110 §12.5.5). */
export const FEED_VARY = 'Accept-Encoding, Sec-Fetch-Dest, Sec-Fetch-Mode';
