/**
 * The keys of the FEEDS namespace (docs/decisions.md, "One build at a time"):
 * - `c:<hash>`  a document body, stored once under the hash of its bytes, never changed;
 * - `m:<hash>`  one shard of a build's manifest (path → content hash, Last-Modified, type),
 *               content-addressed the same way;
 * - `meta:current` the pointer: which build is served, and the builds kept for rollback.
 * Switching builds is one write of the pointer. Build and worker both spell keys here.
 */
export const POINTER_KEY = 'meta:current';
export const CONTENT_PREFIX = 'c:';
export const SHARD_PREFIX = 'm:';

/** A content hash: the first 27 base64url characters (162 bits) of the SHA-256 of the bytes. */
export const CONTENT_HASH_PATTERN = /^[A-Za-z0-9_-]{27}$/;

export function contentKey(hash: string): string {
  return CONTENT_PREFIX + hash;
}

export function shardKey(hash: string): string {
  return SHARD_PREFIX + hash;
}

/** Keys an earlier edgefeed wrote (one key per path); garbage collection may remove them. */
export const LEGACY_KEY_PATTERN = /^(doc:|meta:build$|meta:manifest$)/;
