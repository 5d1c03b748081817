import { createHash } from 'node:crypto';

/**
 * The content hash of a stored value (`c:<hash>`, `m:<hash>`, and the ETag): the first 27
 * base64url characters of its SHA-256, 162 bits, far beyond any chance of collision.
 */
export function contentHash(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, CONTENT_HASH_LENGTH);
}

/** Base64url characters of a content hash kept (27: 162 bits). */
export const CONTENT_HASH_LENGTH = 27;
