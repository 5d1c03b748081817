import { type ManifestShard, ManifestShardSchema } from '../../core/manifest.ts';
import { shardKey } from '../../core/store-keys.ts';
import { fromStore } from './from-store.ts';

/** A value the pointer names is missing or unreadable: a deploy did not finish its upload. */
export class BrokenBuildError extends Error {
  override name = 'BrokenBuildError';
}

/** Parsed shards kept in this isolate; they never change, so they are only ever evicted. */
const MAX_HELD_SHARDS = 64;
const heldShards = new Map<string, ManifestShard>();

/** Immutable values may stay in KV's edge cache as long as it likes (seconds). */
export const IMMUTABLE_CACHE_TTL = 365 * 24 * 3600;

/** Drops every held shard, as a new isolate starts (tests measure a cold isolate with it). */
export function forgetShards(): void {
  heldShards.clear();
}

/**
 * One manifest shard by its hash: from this isolate's memory, else one KV read. Throws
 * BrokenBuildError when KV lacks it or it is unreadable, StoreUnavailableError when KV fails.
 */
export async function readShard(kv: KVNamespace, hash: string): Promise<ManifestShard> {
  const hit = heldShards.get(hash);
  if (hit !== undefined) {
    // Map order is insertion order: re-inserting keeps the most used shards last.
    heldShards.delete(hash);
    heldShards.set(hash, hit);
    return hit;
  }
  const key = shardKey(hash);
  const text = await fromStore(key, () =>
    kv.get(key, { type: 'text', cacheTtl: IMMUTABLE_CACHE_TTL }),
  );
  if (text === null) throw new BrokenBuildError(`manifest shard ${key} is missing`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BrokenBuildError(`manifest shard ${key} is not JSON`);
  }
  const parsed = ManifestShardSchema.safeParse(json);
  if (!parsed.success) throw new BrokenBuildError(`manifest shard ${key} is malformed`);
  heldShards.set(hash, parsed.data);
  for (const oldest of heldShards.keys()) {
    if (heldShards.size <= MAX_HELD_SHARDS) break;
    heldShards.delete(oldest);
  }
  return parsed.data;
}
