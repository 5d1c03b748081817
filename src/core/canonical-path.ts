/**
 * One spelling per document path: each segment percent-decoded once and re-encoded with
 * encodeURIComponent, which is how the build spells paths (`feedPath`). `%7e` and `~`,
 * `%E6%97%A5` and `日` become the same key; an encoded slash or dot-dot stays inside its
 * segment (`..%2F`), so it can never climb out of it. Undecodable input is undefined.
 */
export function canonicalPath(pathname: string): string | undefined {
  const segments = pathname.split('/');
  const out: string[] = [];
  for (const segment of segments) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (decoded.includes('\u0000')) return undefined;
    out.push(encodeURIComponent(decoded));
  }
  return out.join('/');
}
