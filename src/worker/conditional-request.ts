/** The validators of the selected representation (RFC 9110 §8.8). */
export type Validators = {
  /** A quoted entity tag, e.g. `"abc"` (RFC 9110 §8.8.3). */
  etag: string | null;
  /** An IMF-fixdate (RFC 9110 §8.8.2). */
  lastModified: string | null;
};

/**
 * Whether a GET or HEAD should be answered 304 Not Modified, evaluating the preconditions
 * in the order RFC 9110 §13.2.2 gives: If-None-Match first (step 3); only when it is absent,
 * If-Modified-Since (step 4).
 */
export function isNotModified(headers: Headers, validators: Validators): boolean {
  const ifNoneMatch = headers.get('If-None-Match');
  if (ifNoneMatch !== null) return ifNoneMatchMatches(ifNoneMatch, validators.etag);
  const ifModifiedSince = headers.get('If-Modified-Since');
  if (ifModifiedSince !== null && validators.lastModified !== null) {
    return notModifiedSince(ifModifiedSince, validators.lastModified);
  }
  return false;
}

/**
 * If-None-Match (RFC 9110 §13.1.2): `*` matches any current representation; otherwise the
 * field is a list of entity tags compared with the weak comparison function (§8.8.3.2),
 * so `W/"x"` matches `"x"`. A field with no well-formed tag matches nothing.
 */
function ifNoneMatchMatches(field: string, etag: string | null): boolean {
  if (field.trim() === '*') return etag !== null;
  if (etag === null) return false;
  const current = opaqueTag(etag);
  for (const match of field.matchAll(/(?:W\/)?("[\x21\x23-\x7e\x80-\uffff]*")/g)) {
    if (match[1] === current) return true;
  }
  return false;
}

/** The opaque-tag of an entity tag, without any weakness indicator (RFC 9110 §8.8.3). */
function opaqueTag(etag: string): string {
  return etag.startsWith('W/') ? etag.slice(2) : etag;
}

// HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms
// that a recipient must still accept.
const IMF_FIXDATE =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;
const RFC_850 = /^[A-Z][a-z]+day, \d{2}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2} GMT$/;
const ASCTIME = /^[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2} \d{4}$/;

/** Milliseconds since the epoch of an HTTP-date, or undefined when it is not one. */
export function parseHttpDate(value: string): number | undefined {
  const trimmed = value.trim();
  if (!IMF_FIXDATE.test(trimmed) && !RFC_850.test(trimmed) && !ASCTIME.test(trimmed)) {
    return undefined;
  }
  const time = Date.parse(ASCTIME.test(trimmed) ? `${trimmed} GMT` : trimmed);
  return Number.isNaN(time) ? undefined : time;
}

/**
 * If-Modified-Since (RFC 9110 §13.1.3): false (send the document) unless the selected
 * representation was last modified at or before the given date. A value that is not a
 * valid HTTP-date, or a list of several, is ignored.
 */
function notModifiedSince(field: string, lastModified: string): boolean {
  const since = parseHttpDate(field);
  const modified = parseHttpDate(lastModified);
  if (since === undefined || modified === undefined) return false;
  return modified <= since;
}
