import { createHash } from 'node:crypto';
import type { BuildRecord } from '../../core/build-record.ts';
import { canBeDocumentPath } from '../../core/document-paths.ts';
import { type ManifestEntry, shardCountFor, shardManifest } from '../../core/manifest.ts';
import type { DocumentType } from '../../core/media-types.ts';
import { shardKey } from '../../core/store-keys.ts';
import { contentHash } from './content-hash.ts';

/** A rendered document as a build names it: where, which bytes, since when, what type. */
export type StoredDocument = {
  path: string;
  /** The content hash of the body (its key is `c:<hash>`). */
  hash: string;
  /** Epoch milliseconds of the newest item shown (Last-Modified). */
  updated: number;
  type: DocumentType;
};

/** Everything about a build except the document bodies. */
export type AssembledBuild = {
  record: BuildRecord;
  /** path → entry, for every document. */
  manifest: Map<string, ManifestEntry>;
  /** The shard values, by key (`m:<hash>`), in shard order. */
  shards: Map<string, string>;
};

export type BuildFacts = Omit<BuildRecord, 'buildId' | 'shards'>;

/**
 * The manifest of a set of documents, split into content-addressed shards, and the build
 * record naming them. The build id hashes the shard hashes, so it names exactly this set
 * of paths, bodies, dates and types: the same documents always make the same id.
 */
export function assembleBuild(
  documents: Iterable<StoredDocument>,
  facts: BuildFacts,
): AssembledBuild {
  const manifest = new Map<string, ManifestEntry>();
  for (const d of documents) {
    if (manifest.has(d.path)) throw new Error(`internal: ${d.path} is in the build twice`);
    if (!canBeDocumentPath(d.path)) throw new Error(`internal: ${d.path} is not a servable path`);
    manifest.set(d.path, [d.hash, Math.floor(d.updated / 1000), d.type]);
  }
  const shards = new Map<string, string>();
  const hashes: string[] = [];
  for (const text of shardManifest(manifest, shardCountFor(manifest.size))) {
    const hash = contentHash(text);
    hashes.push(hash);
    shards.set(shardKey(hash), text);
  }
  const buildId = createHash('sha256').update(hashes.join('\n')).digest('hex').slice(0, 16);
  return { record: { buildId, ...facts, shards: hashes }, manifest, shards };
}
