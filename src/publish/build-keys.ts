import { readOwnShard } from '../compile/store/read-own-shard.ts';
import type { ValueStore } from '../compile/store/value-store.ts';
import type { BuildRecord } from '../core/build-record.ts';
import { CONTENT_PREFIX, contentKey, SHARD_PREFIX, shardKey } from '../core/store-keys.ts';
import { type KvTarget, listAllKeys } from './kv-target.ts';

/** Reads a shard's bytes by its key (`m:<hash>`): from the local store when it has it, else KV. */
export type ShardReader = (key: string) => Promise<Uint8Array | null>;

/** Reads many shards at once: the local store's, then the rest in as few requests as KV allows. */
export type ShardsReader = (keys: readonly string[]) => Promise<Map<string, Uint8Array | null>>;

export type BuildKeys = {
  /** Every key the build names: its shards and the contents they list. */
  keys: Set<string>;
  /** Shards that could not be read or parsed: the contents they name are unknown. */
  unreadable: string[];
};

/** Every key a build needs in the namespace, from its record and its manifest shards. */
export async function keysOfBuild(record: BuildRecord, readShard: ShardReader): Promise<BuildKeys> {
  const [keys] = await keysOfBuilds([record], async (shardKeys) => {
    const found = new Map<string, Uint8Array | null>();
    for (const key of shardKeys) found.set(key, await readShard(key));
    return found;
  });
  return keys ?? { keys: new Set(), unreadable: [] };
}

/**
 * The keys of each build (in the order given), reading every shard once even when builds
 * share it (most shards of consecutive builds are the same), in one batch.
 */
export async function keysOfBuilds(
  records: readonly BuildRecord[],
  readShards: ShardsReader,
): Promise<BuildKeys[]> {
  const wanted = [...new Set(records.flatMap((record) => record.shards.map(shardKey)))];
  const bytes = await readShards(wanted);
  const contents = new Map<string, string[] | undefined>();
  for (const key of wanted) {
    const value = bytes.get(key);
    const shard =
      value === null || value === undefined
        ? undefined
        : readOwnShard(value, key.slice(SHARD_PREFIX.length));
    contents.set(
      key,
      shard && Object.values(shard.documents).map(([hashOf]) => contentKey(hashOf)),
    );
  }
  return records.map((record) => {
    const keys = new Set<string>();
    const unreadable: string[] = [];
    for (const hash of record.shards) {
      const key = shardKey(hash);
      keys.add(key);
      const named = contents.get(key);
      if (named === undefined) unreadable.push(key);
      else for (const content of named) keys.add(content);
    }
    return { keys, unreadable };
  });
}

/** Shards from the local value store when it has them (no request), else from the namespace. */
export function shardReaderFor(store: ValueStore | undefined, target: KvTarget): ShardReader {
  return async (key) => (store?.has(key) ? store.read(key) : target.get(key));
}

/** The same, for many shards: those the local store lacks come in `bulk/get` batches. */
export function shardsReaderFor(store: ValueStore | undefined, target: KvTarget): ShardsReader {
  return async (keys) => {
    const found = new Map<string, Uint8Array | null>();
    const remote: string[] = [];
    for (const key of keys) {
      if (store?.has(key)) found.set(key, store.read(key));
      else remote.push(key);
    }
    if (remote.length > 0)
      for (const [key, value] of await target.readMany(remote)) found.set(key, value);
    return found;
  };
}

/** Every `c:` and `m:` key the namespace holds. */
export async function listBuildKeys(target: KvTarget): Promise<Set<string>> {
  const keys = await listAllKeys(target, CONTENT_PREFIX);
  for (const key of await listAllKeys(target, SHARD_PREFIX)) keys.add(key);
  return keys;
}
