import { isSubscriptionPath } from '../../core/document-paths.ts';
import { type PointerRead, readPointer, resolvePointerSeconds } from '../store/read-pointer.ts';
import { readShard } from '../store/read-shard.ts';

/** The subscription documents of the served build, and the base URL their topics start with. */
export type ServedFeeds = { siteUrl: string; paths: string[] };

/**
 * Lists every subscription document of the build the pointer names, reading all of its
 * manifest shards (held in the isolate once read: fine off the hot path, /stats only).
 */
export async function readServedFeeds(
  kv: KVNamespace,
  pointerSeconds: string | undefined,
): Promise<ServedFeeds | Exclude<PointerRead, { state: 'loaded' }>> {
  const read = await readPointer(kv, resolvePointerSeconds(pointerSeconds));
  if (read.state !== 'loaded') return read;
  const shards = await Promise.all(read.build.shards.map((hash) => readShard(kv, hash)));
  const paths = shards.flatMap((shard) => Object.keys(shard.documents)).filter(isSubscriptionPath);
  return { siteUrl: read.build.siteUrl, paths: paths.sort() };
}
