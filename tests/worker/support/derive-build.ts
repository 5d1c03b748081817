import type { BuildRecord } from '../../../src/core/build-record.ts';
import {
  type ManifestEntry,
  ManifestShardSchema,
  shardManifest,
} from '../../../src/core/manifest.ts';
import type { DocumentType } from '../../../src/core/media-types.ts';
import { contentKey, shardKey } from '../../../src/core/store-keys.ts';
import type { FixtureBuild } from '../../support/provided-context.ts';

export type DocumentChange =
  | { path: string; body: string; type?: DocumentType; lastModified?: number }
  | { path: string; removed: true };

/**
 * A new build made from `base` the way the real build makes one (content-addressed values,
 * shards, an id from the shard hashes): the given documents changed, added or removed, the
 * rest shared. `shardCount` defaults to the base's; a different one reshuffles every path.
 */
export async function deriveBuild(
  base: FixtureBuild,
  changes: readonly DocumentChange[],
  options: { shardCount?: number; record?: Partial<BuildRecord> } = {},
): Promise<FixtureBuild> {
  const values = new Map(base.values);
  const documents = new Map<string, ManifestEntry>();
  for (const hash of base.record.shards) {
    const shard = ManifestShardSchema.parse(JSON.parse(values.get(shardKey(hash)) ?? ''));
    for (const [path, entry] of Object.entries(shard.documents)) documents.set(path, entry);
  }
  for (const change of changes) {
    if ('removed' in change) {
      documents.delete(change.path);
      continue;
    }
    const hash = await contentHashOf(change.body);
    const before = documents.get(change.path);
    values.set(contentKey(hash), change.body);
    documents.set(change.path, [
      hash,
      change.lastModified ?? before?.[1] ?? 1_700_000_000,
      change.type ?? before?.[2] ?? 'rss',
    ]);
  }
  const shards: string[] = [];
  for (const text of shardManifest(documents, options.shardCount ?? base.record.shards.length)) {
    const hash = await contentHashOf(text);
    values.set(shardKey(hash), text);
    shards.push(hash);
  }
  const buildId = (await sha256(shards.join('\n'), 'hex')).slice(0, 16);
  return {
    record: { ...base.record, ...options.record, buildId, shards },
    values: [...values],
  };
}

/** The store's content hash (src/compile/store/content-hash.ts), with Web Crypto. */
export async function contentHashOf(text: string): Promise<string> {
  return (await sha256(text, 'base64url')).slice(0, 27);
}

async function sha256(text: string, encoding: 'hex' | 'base64url'): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)),
  );
  if (encoding === 'hex') return [...digest].map((b) => b.toString(16).padStart(2, '0')).join('');
  let binary = '';
  for (const byte of digest) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
