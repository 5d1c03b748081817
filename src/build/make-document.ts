import { createHash } from 'node:crypto';
import { documentKey } from '../core/document-paths.ts';
import type { BundleEntry } from '../core/document-record.ts';

/** KV's limits (https://developers.cloudflare.com/kv/platform/limits/). */
export const MAX_KEY_BYTES = 512;
export const MAX_VALUE_BYTES = 25 * 1024 * 1024;

/**
 * One served document as a bundle entry: the key from the shared path function, and the
 * metadata the worker answers with (strong ETag from the body's SHA-256, RFC 9110 §8.8.3;
 * Last-Modified from the newest item shown, RFC 9110 §8.8.2).
 */
export function makeDocument(
  path: string,
  body: string,
  contentType: string,
  updated: number,
): BundleEntry {
  const key = documentKey(path);
  if (!key) throw new Error(`internal: ${JSON.stringify(path)} is not a servable path`);
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new Error(
      `the key for ${path} is ${Buffer.byteLength(key)} bytes; KV allows ${MAX_KEY_BYTES}`,
    );
  }
  const bytes = Buffer.byteLength(body);
  if (bytes > MAX_VALUE_BYTES) {
    throw new Error(`${path} is ${bytes} bytes; KV allows ${MAX_VALUE_BYTES}: lower --page-size`);
  }
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27);
  return {
    key,
    value: body,
    metadata: { etag: `"${hash}"`, lastModified: new Date(updated).toUTCString(), contentType },
  };
}
