// zod/mini: the worker validates every shard it reads and pays for each byte of schema code.
import * as z from 'zod/mini';
import { DOCUMENT_TYPE_CODES } from './media-types.ts';

/**
 * One document of a build: `[content hash, Last-Modified in epoch seconds, type code]`.
 * The ETag is the content hash quoted (RFC 9110 §8.8.3: it changes exactly when the bytes
 * do); Last-Modified is the newest item the document shows (§8.8.2), never the build time.
 */
export const ManifestEntrySchema = z.tuple([
  z.string().check(z.regex(/^[A-Za-z0-9_-]{27}$/)),
  z.number().check(z.int(), z.nonnegative()),
  z.enum(DOCUMENT_TYPE_CODES),
]);
export type ManifestEntry = z.infer<typeof ManifestEntrySchema>;

/**
 * A build's manifest is split into shards by path, so the worker reads (and parses) only
 * the shard a request needs: at 100,000 seeds a whole manifest names ~40,000 documents
 * (~3 MB of JSON, ~20 ms to parse), a shard at most ~1,000.
 */
export const ManifestShardSchema = z.object({
  v: z.literal(1),
  documents: z.record(z.string(), ManifestEntrySchema),
});
export type ManifestShard = z.infer<typeof ManifestShardSchema>;

/** Documents per shard the build aims at; the shard count is a power of two. */
export const SHARD_TARGET = 1000;

/** The number of shards for a build of `documents` documents: a power of two, at least 1. */
export function shardCountFor(documents: number): number {
  let count = 1;
  while (documents / count > SHARD_TARGET) count *= 2;
  return count;
}

/**
 * Which shard holds a path: FNV-1a (32-bit) over its UTF-16 code units, masked to the shard
 * count. Cheap, synchronous and the same in Node and workerd.
 */
export function shardIndex(path: string, shardCount: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < path.length; i++) {
    hash ^= path.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) & (shardCount - 1);
}

/** A shard's bytes: paths in code-unit order, no whitespace, so equal shards hash equal. */
export function serializeShard(entries: Iterable<readonly [string, ManifestEntry]>): string {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const documents: Record<string, ManifestEntry> = {};
  for (const [path, entry] of sorted) documents[path] = entry;
  return JSON.stringify({ v: 1, documents });
}

/** Splits a build's documents into `shardCount` shards (see shardIndex). */
export function shardManifest(
  documents: ReadonlyMap<string, ManifestEntry>,
  shardCount = shardCountFor(documents.size),
): string[] {
  const shards: [string, ManifestEntry][][] = Array.from({ length: shardCount }, () => []);
  for (const [path, entry] of documents) shards[shardIndex(path, shardCount)]?.push([path, entry]);
  return shards.map(serializeShard);
}
