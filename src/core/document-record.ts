// zod/mini: the same schemas, tree-shaken — the worker imports these and pays for every
// byte of them at each cold start (the full zod made the worker bundle 850 KiB).
import * as z from 'zod/mini';

/**
 * What the worker needs to answer a request without reading the value: stored as KV
 * metadata beside each document (KV metadata is capped at 1024 bytes; this is ~150).
 */
export const DocumentMetadataSchema = z.object({
  /** Strong entity tag, quoted, from the SHA-256 of the body (RFC 9110 §8.8.3). */
  etag: z.string(),
  /** IMF-fixdate of the newest item the document shows (RFC 9110 §8.8.2). */
  lastModified: z.string(),
  contentType: z.string(),
});
export type DocumentMetadata = z.infer<typeof DocumentMetadataSchema>;

/** One pair of `wrangler kv bulk put`'s input. */
export const BundleEntrySchema = z.object({
  key: z.string(),
  value: z.string(),
  metadata: z.optional(DocumentMetadataSchema),
});
export type BundleEntry = z.infer<typeof BundleEntrySchema>;

/** The `meta:build` record served by /healthz. */
export const BuildRecordSchema = z.object({
  buildId: z.string(),
  builtAt: z.string(),
  generator: z.string(),
  counts: z.object({
    articles: z.number(),
    topics: z.number(),
    providers: z.number(),
    feeds: z.number(),
    documents: z.number(),
  }),
});
export type BuildRecord = z.infer<typeof BuildRecordSchema>;
