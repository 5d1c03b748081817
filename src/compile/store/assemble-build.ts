import { createHash } from 'node:crypto';
import type { BuildRecord } from '../../core/build-record.ts';
import { canBeDocumentPath, viewedFeedPath } from '../../core/document-paths.ts';
import {
  type ManifestEntry,
  serializeShard,
  shardCountFor,
  shardIndex,
} from '../../core/manifest.ts';
import type { DocumentType } from '../../core/media-types.ts';
import { shardKey } from '../../core/store-keys.ts';
import { contentHash } from './content-hash.ts';

/** A rendered document as a build names it: which bytes, since when, what type. */
export type StoredDocument = {
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
 * The manifest of a build's documents (by path), split into content-addressed shards, and
 * the build record naming them. The build id hashes the shard hashes, so it names exactly
 * this set of paths, bodies, dates and types: the same documents always make the same id.
 * Given the `previous` build of the same process, a shard none of whose entries changed is
 * taken over as it is, not serialized and hashed again (a watching rebuild changes a few);
 * given also the `only` paths that may have changed, the others are not looked at.
 */
export function assembleBuild(
  documents: ReadonlyMap<string, StoredDocument>,
  facts: BuildFacts,
  previous?: AssembledBuild,
  /** With `previous`: the only paths whose documents may differ from its (writeBuild). */
  only?: readonly string[],
): AssembledBuild {
  const manifest = only && previous ? new Map(previous.manifest) : new Map<string, ManifestEntry>();
  const changed: string[] = [];
  for (const path of only && previous ? only : documents.keys()) {
    const d = documents.get(path) as StoredDocument;
    const entry: ManifestEntry = [d.hash, Math.floor(d.updated / 1000), d.type];
    const before = previous?.manifest.get(path);
    if (before === undefined) {
      if (!canBeDocumentPath(viewedFeedPath(path)))
        throw new Error(`internal: ${path} is not a servable path`);
    }
    if (before?.[0] === entry[0] && before[1] === entry[1] && before[2] === entry[2]) {
      manifest.set(path, before);
    } else {
      manifest.set(path, entry);
      changed.push(path);
    }
  }
  const count = shardCountFor(manifest.size);
  // Taken over only when no path came or went (then only changed entries move shards).
  const reuse =
    previous !== undefined &&
    previous.manifest.size === manifest.size &&
    previous.record.shards.length === count &&
    changed.every((path) => previous.manifest.has(path));
  const dirty = new Set<number>();
  if (reuse) for (const path of changed) dirty.add(shardIndex(path, count));
  const members: [string, ManifestEntry][][] = Array.from({ length: count }, () => []);
  if (!reuse || dirty.size > 0) {
    for (const [path, entry] of manifest) {
      const i = shardIndex(path, count);
      if (!reuse || dirty.has(i)) members[i]?.push([path, entry]);
    }
  }
  const shards = new Map<string, string>();
  const hashes: string[] = [];
  for (let i = 0; i < count; i++) {
    const priorHash = reuse && !dirty.has(i) ? previous.record.shards[i] : undefined;
    const priorText = priorHash && previous?.shards.get(shardKey(priorHash));
    const text = priorText || serializeShard(members[i] ?? []);
    const hash = priorText && priorHash ? priorHash : contentHash(text);
    hashes.push(hash);
    shards.set(shardKey(hash), text);
  }
  const buildId = createHash('sha256').update(hashes.join('\n')).digest('hex').slice(0, 16);
  return { record: { buildId, ...facts, shards: hashes }, manifest, shards };
}
