import type { BuiltDocument } from '../../src/compile/compile-build.ts';
import type { BundleEntry } from '../../src/core/document-record.ts';
import { DOCUMENT_TYPES } from '../../src/core/media-types.ts';

/**
 * Documents as the one-key-per-path bundle the worker read before the content-addressed
 * store (`doc:<path>` with metadata), for the worker code and loaders that still read it.
 * Goes when the worker serves from the store.
 */
export function legacyEntries(documents: readonly BuiltDocument[]): BundleEntry[] {
  return [
    ...documents.map((d) => ({
      key: `doc:${d.path}`,
      value: d.body,
      metadata: {
        etag: `"${d.hash}"`,
        lastModified: new Date(Math.floor(d.updated / 1000) * 1000).toUTCString(),
        contentType: DOCUMENT_TYPES[d.type],
      },
    })),
    {
      key: 'meta:build',
      value: JSON.stringify({
        buildId: 'legacy',
        builtAt: '1970-01-01T00:00:00.000Z',
        generator: 'edgefeed',
        counts: { articles: 0, topics: 0, providers: 0, feeds: 0, documents: documents.length },
      }),
    },
  ];
}
