/**
 * Document bodies kept in this isolate's memory, by content hash. A body never changes under
 * its hash, so what is held can never be stale, and a switch to another build simply names
 * other hashes; a feed that readers poll is then answered without the Cache API or KV.
 * MEMORY_CACHE_SECONDS bounds how long an unused body stays (0 turns the cache off).
 */
type Held = { body: ArrayBuffer; expires: number };

/** Bodies kept at most, in all; the least recently used go first. */
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

/** The body held for a content hash, or undefined (absent or expired). */
export function heldBody(hash: string, now: number): ArrayBuffer | undefined {
  const entry = held.get(hash);
  if (entry === undefined) return undefined;
  forget(hash, entry);
  if (entry.expires <= now) return undefined;
  // Map order is insertion order: re-inserting keeps the most used bodies last.
  held.set(hash, entry);
  heldBytes += entry.body.byteLength;
  return entry.body;
}

/** Keeps a body for `seconds` under its content hash. */
export function holdBody(hash: string, body: ArrayBuffer, seconds: number, now: number): void {
  if (body.byteLength > MAX_ENTRY_BYTES) return;
  const old = held.get(hash);
  if (old !== undefined) forget(hash, old);
  held.set(hash, { body, expires: now + seconds * 1000 });
  heldBytes += body.byteLength;
  for (const [oldest, entry] of held) {
    if (heldBytes <= MAX_BYTES) break;
    forget(oldest, entry);
  }
}

function forget(hash: string, entry: Held): void {
  held.delete(hash);
  heldBytes -= entry.body.byteLength;
}
