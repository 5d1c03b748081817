import type { ValueStore } from '../compile/store/value-store.ts';
import type { BuildRecord } from '../core/build-record.ts';
import { ManifestShardSchema } from '../core/manifest.ts';
import { CONTENT_PREFIX, contentKey, SHARD_PREFIX, shardKey } from '../core/store-keys.ts';
import { type KvTarget, listAllKeys } from './kv-target.ts';

/** Reads a shard's bytes by its key (`m:<hash>`): from the local store when it has it, else KV. */
export type ShardReader = (key: string) => Promise<Uint8Array | null>;

export type BuildKeys = {
  /** Every key the build names: its shards and the contents they list. */
  keys: Set<string>;
  /** Shards that could not be read or parsed: the contents they name are unknown. */
  unreadable: string[];
};

/** Every key a build needs in the namespace, from its record and its manifest shards. */
export async function keysOfBuild(record: BuildRecord, readShard: ShardReader): Promise<BuildKeys> {
  const keys = new Set<string>();
  const unreadable: string[] = [];
  for (const hash of record.shards) {
    const key = shardKey(hash);
    keys.add(key);
    const bytes = await readShard(key);
    const shard = bytes === null ? undefined : parseShard(bytes);
    if (shard === undefined) {
      unreadable.push(key);
      continue;
    }
    for (const [hashOf] of Object.values(shard.documents)) keys.add(contentKey(hashOf));
  }
  return { keys, unreadable };
}

function parseShard(bytes: Uint8Array) {
  try {
    const parsed = ManifestShardSchema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Shards from the local value store when it has them (no request), else from the namespace. */
export function shardReaderFor(store: ValueStore | undefined, target: KvTarget): ShardReader {
  return async (key) => (store?.has(key) ? store.read(key) : target.get(key));
}

/** Every `c:` and `m:` key the namespace holds. */
export async function listBuildKeys(target: KvTarget): Promise<Set<string>> {
  const keys = await listAllKeys(target, CONTENT_PREFIX);
  for (const key of await listAllKeys(target, SHARD_PREFIX)) keys.add(key);
  return keys;
}
