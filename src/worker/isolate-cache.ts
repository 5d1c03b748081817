import { isNotModified, type Validators } from './conditional-request.ts';
import { carriedHeaders } from './not-modified-response.ts';

/**
 * The last few documents served, kept in this isolate's memory for a few seconds. A feed
 * that readers poll is then answered — 200 or 304 — without touching the Cache API or KV.
 * It can serve a document at most MEMORY_CACHE_SECONDS older than the edge cache would,
 * which is already allowed to be FEED_MAX_AGE old (README, "Caching"); 0 turns it off.
 */
type Held = {
  body: ArrayBuffer;
  headers: [string, string][];
  /** What a 304 for this document carries, worked out once (RFC 9110 §15.4.5). */
  notModified: [string, string][];
  validators: Validators;
  expires: number;
};

/** Bodies kept at most, in all; the oldest entries go first. */
const MAX_BYTES = 8 * 2 ** 20;
/** Larger documents are not kept: they would push out many small ones. */
const MAX_ENTRY_BYTES = 2 ** 20;
export const DEFAULT_MEMORY_SECONDS = 10;

const held = new Map<string, Held>();
let heldBytes = 0;

/** Reads MEMORY_CACHE_SECONDS; falls back to the default rather than failing requests. */
export function resolveMemorySeconds(value: string | undefined): number {
  if (value === undefined || !/^\d{1,6}$/.test(value)) return DEFAULT_MEMORY_SECONDS;
  return Number(value);
}

/**
 * The answer to `request` from the document held for `key` — 304 when the client's copy
 * is current (RFC 9110 §13.2.2), else the 200 — or undefined (absent or expired). One
 * Response is made, from headers prepared when the document was held: this is the path a
 * polling reader takes, and the one the bench compares with a worker returning a string.
 */
export function answerFromHeld(request: Request, key: string, now: number): Response | undefined {
  const entry = held.get(key);
  if (entry === undefined) return undefined;
  if (entry.expires <= now) {
    forget(key, entry);
    return undefined;
  }
  if (isNotModified(request.headers, entry.validators)) {
    return new Response(null, { status: 304, headers: entry.notModified });
  }
  return new Response(entry.body, { headers: entry.headers });
}

/** Keeps a copy of a full 200 response for `seconds`; returns the response to send. */
export async function hold(
  key: string,
  full: Response,
  seconds: number,
  now: number,
): Promise<Response> {
  const body = await full.arrayBuffer();
  const headers = [...full.headers];
  if (body.byteLength <= MAX_ENTRY_BYTES) {
    const old = held.get(key);
    if (old !== undefined) forget(key, old);
    held.set(key, {
      body,
      headers,
      notModified: carriedHeaders(full.headers),
      validators: {
        etag: full.headers.get('ETag'),
        lastModified: full.headers.get('Last-Modified'),
      },
      expires: now + seconds * 1000,
    });
    heldBytes += body.byteLength;
    for (const [oldest, entry] of held) {
      if (heldBytes <= MAX_BYTES) break;
      forget(oldest, entry);
    }
  }
  return new Response(body, { headers });
}

function forget(key: string, entry: Held): void {
  held.delete(key);
  heldBytes -= entry.body.byteLength;
}
