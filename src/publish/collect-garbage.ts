import type { BuildPointer } from '../core/build-record.ts';
import { CONTENT_PREFIX, LEGACY_KEY_PATTERN, SHARD_PREFIX } from '../core/store-keys.ts';
import { keysOfBuild, type ShardReader } from './build-keys.ts';
import { type KvTarget, listAllKeys } from './kv-target.ts';

export type GarbageOptions = {
  /** The pointer just written: its builds are the ones kept. */
  pointer: BuildPointer;
  readShard: ShardReader;
  /** The `c:`/`m:` keys present, when the caller has just listed them (saves a listing). */
  present?: ReadonlySet<string>;
  /** Also delete the one-key-per-path layout's keys (see publish-build.ts for when). */
  deleteLegacy: boolean;
  sleep: (ms: number) => Promise<void>;
};

export type GarbageResult = { deleted: number; failed: number; note?: string };

/**
 * Deletes the `c:` and `m:` keys no kept build names, reading each kept build's shards to
 * know what it names. When a kept build's shard cannot be read, the contents it needs are
 * unknown, so no content is deleted at all (shards of no kept build still are): collection
 * may leave garbage, never take what a kept build needs. Keys that fail to delete are tried
 * once more, then left for the next deploy.
 */
export async function collectGarbage(
  target: KvTarget,
  options: GarbageOptions,
): Promise<GarbageResult> {
  const named = new Set<string>();
  const unreadable: string[] = [];
  for (const build of options.pointer.builds) {
    const keys = await keysOfBuild(build, options.readShard);
    for (const key of keys.keys) named.add(key);
    unreadable.push(...keys.unreadable);
  }
  const present =
    options.present ??
    new Set([
      ...(await listAllKeys(target, CONTENT_PREFIX)),
      ...(await listAllKeys(target, SHARD_PREFIX)),
    ]);
  const doomed = [...present].filter(
    (key) => !named.has(key) && (unreadable.length === 0 || !key.startsWith(CONTENT_PREFIX)),
  );
  if (options.deleteLegacy) {
    for (const prefix of ['doc:', 'meta:']) {
      for (const key of await listAllKeys(target, prefix)) {
        if (LEGACY_KEY_PATTERN.test(key)) doomed.push(key);
      }
    }
  }
  let failed = doomed.length > 0 ? (await target.deleteMany(doomed)).failed : [];
  if (failed.length > 0) {
    await options.sleep(2000);
    failed = (await target.deleteMany(failed)).failed;
  }
  const note =
    unreadable.length > 0
      ? `kept every content key: kept builds' shards unreadable (${unreadable.slice(0, 3).join(', ')})`
      : undefined;
  return {
    deleted: doomed.length - failed.length,
    failed: failed.length,
    ...(note ? { note } : {}),
  };
}
