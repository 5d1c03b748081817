import type { DocumentMetadata } from '../core/document-record.ts';
import { DocumentMetadataSchema } from '../core/document-record.ts';

export type StoredDocument = { body: ReadableStream; metadata: DocumentMetadata };

/** Raised when a stored document's metadata does not match the contract: a build bug. */
export class CorruptDocumentError extends Error {
  override name = 'CorruptDocumentError';
}

/**
 * The one KV read of the document path: value and metadata in a single
 * `getWithMetadata` call, streamed so a 304 never has to read the value.
 * Undefined when the key is absent.
 */
export async function readDocument(
  kv: KVNamespace,
  key: string,
): Promise<StoredDocument | undefined> {
  const stored = await kv.getWithMetadata(key, 'stream');
  if (stored.value === null) return undefined;
  const parsed = DocumentMetadataSchema.safeParse(stored.metadata);
  if (!parsed.success) {
    await stored.value.cancel();
    throw new CorruptDocumentError(
      `${key} has no valid metadata (etag, lastModified, contentType)`,
    );
  }
  return { body: stored.value, metadata: parsed.data };
}
