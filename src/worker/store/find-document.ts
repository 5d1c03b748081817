import type { BuildRecord } from '../../core/build-record.ts';
import { type ManifestEntry, shardIndex } from '../../core/manifest.ts';
import { readShard } from './read-shard.ts';

/**
 * A path's entry in a build's manifest (content hash, Last-Modified, type), or undefined
 * when the build has no such document. Reads only the one shard that can hold the path.
 */
export async function findDocument(
  kv: KVNamespace,
  build: BuildRecord,
  path: string,
): Promise<ManifestEntry | undefined> {
  const hash = build.shards[shardIndex(path, build.shards.length)];
  if (hash === undefined) return undefined;
  const shard = await readShard(kv, hash);
  return Object.hasOwn(shard.documents, path) ? shard.documents[path] : undefined;
}
