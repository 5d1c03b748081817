import { createHash } from 'node:crypto';
import { documentKey } from '../../core/document-paths.ts';
import type { BundleEntry, DocumentMetadata } from '../../core/document-record.ts';

/** KV's limits (https://developers.cloudflare.com/kv/platform/limits/). */
export const MAX_KEY_BYTES = 512;
export const MAX_VALUE_BYTES = 25 * 1024 * 1024;

/** A document as a bundle entry, and as the bundle line that holds it, ready to write. */
export type MadeDocument = {
  entry: BundleEntry & { metadata: DocumentMetadata };
  /** `JSON.stringify(entry)`, UTF-8, in pieces (the value is not copied again). */
  line: Buffer[];
  lineBytes: number;
  /** UTF-8 size of the value. */
  bytes: number;
};

/**
 * One served document: the key from the shared path function, and the metadata the worker
 * answers with — a strong ETag (RFC 9110 §8.8.3) and Last-Modified from the newest item
 * shown (§8.8.2). The value is JSON-escaped and encoded once: the ETag is the SHA-256 of
 * that encoding (a content hash like any other: it changes exactly when the body does), and
 * the same bytes are what the bundle line holds. `bytes`, the body's UTF-8 size, may come
 * from whoever rendered it (the bundle writer thread gets it from the main thread, which
 * has the time to spare: a pass over 250 MB at 100k seeds).
 */
export function makeDocument(
  path: string,
  body: string,
  contentType: string,
  updated: number,
  bytes = Buffer.byteLength(body),
): MadeDocument {
  const key = documentKey(path);
  if (!key) throw new Error(`internal: ${JSON.stringify(path)} is not a servable path`);
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) {
    throw new Error(
      `the key for ${path} is ${Buffer.byteLength(key)} bytes; KV allows ${MAX_KEY_BYTES}`,
    );
  }
  if (bytes > MAX_VALUE_BYTES) {
    throw new Error(`${path} is ${bytes} bytes; KV allows ${MAX_VALUE_BYTES}: lower --page-size`);
  }
  const value = Buffer.from(JSON.stringify(body));
  const hash = createHash('sha256').update(value).digest('base64url').slice(0, 27);
  const metadata = {
    etag: `"${hash}"`,
    lastModified: new Date(updated).toUTCString(),
    contentType,
  };
  const head = Buffer.from(`{"key":${JSON.stringify(key)},"value":`);
  const tail = Buffer.from(`,"metadata":${JSON.stringify(metadata)}}`);
  return {
    entry: { key, value: body, metadata },
    line: [head, value, tail],
    lineBytes: head.length + value.length + tail.length,
    bytes,
  };
}
