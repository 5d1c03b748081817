/**
 * Headers a 304 carries over from the 200 it stands for: RFC 9110 §15.4.5 requires the
 * ones a 200 would have sent among Cache-Control, Content-Location, Date, ETag, Expires and
 * Vary; Last-Modified helps caches that compare dates, and the CORS headers let a
 * cross-origin reader see the 304 at all.
 */
const CARRIED_HEADERS = [
  'Cache-Control',
  'Content-Location',
  'ETag',
  'Expires',
  'Last-Modified',
  'Vary',
  'Access-Control-Allow-Origin',
  'Access-Control-Expose-Headers',
] as const;

/** The headers a 304 standing for `full` carries. */
export function carriedHeaders(full: Headers): [string, string][] {
  const carried: [string, string][] = [];
  for (const name of CARRIED_HEADERS) {
    const value = full.get(name);
    if (value !== null) carried.push([name, value]);
  }
  return carried;
}
