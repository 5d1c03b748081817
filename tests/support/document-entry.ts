import type { BundleEntry } from '../../src/core/document-record.ts';

export type DocumentEntryOptions = {
  path: string;
  body: string;
  contentType: string;
  lastModified: string;
};

/** A bundle entry made by hand, with the strong SHA-256 ETag the build uses. */
export async function makeDocumentEntry(options: DocumentEntryOptions): Promise<BundleEntry> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(options.body));
  const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0'));
  return {
    key: `doc:${options.path}`,
    value: options.body,
    metadata: {
      etag: `"${hex.join('').slice(0, 32)}"`,
      lastModified: options.lastModified,
      contentType: options.contentType,
    },
  };
}
