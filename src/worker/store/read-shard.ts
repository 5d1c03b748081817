import { type ManifestShard, ManifestShardSchema } from '../../core/manifest.ts';
import { shardKey } from '../../core/store-keys.ts';

/** A value the pointer names is missing or unreadable: a deploy did not finish its upload. */
export class BrokenBuildError extends Error {
  override name = 'BrokenBuildError';
}

/** Parsed shards kept in this isolate; they never change, so they are only ever evicted. */
const MAX_HELD_SHARDS = 64;
const heldShards = new Map<string, ManifestShard>();

/** Immutable values may stay in KV's edge cache as long as it likes (seconds). */
export const IMMUTABLE_CACHE_TTL = 365 * 24 * 3600;

/** One manifest shard by its hash: from this isolate's memory, else one KV read. */
export async function readShard(kv: KVNamespace, hash: string): Promise<ManifestShard> {
  const hit = heldShards.get(hash);
  if (hit !== undefined) {
    // Map order is insertion order: re-inserting keeps the most used shards last.
    heldShards.delete(hash);
    heldShards.set(hash, hit);
    return hit;
  }
  const text = await kv.get(shardKey(hash), { type: 'text', cacheTtl: IMMUTABLE_CACHE_TTL });
  if (text === null) throw new BrokenBuildError(`manifest shard ${shardKey(hash)} is missing`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BrokenBuildError(`manifest shard ${shardKey(hash)} is not JSON`);
  }
  const parsed = ManifestShardSchema.safeParse(json);
  if (!parsed.success) throw new BrokenBuildError(`manifest shard ${shardKey(hash)} is malformed`);
  heldShards.set(hash, parsed.data);
  for (const oldest of heldShards.keys()) {
    if (heldShards.size <= MAX_HELD_SHARDS) break;
    heldShards.delete(oldest);
  }
  return parsed.data;
}
