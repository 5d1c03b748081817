import { CONTENT_PREFIX, LEGACY_KEY_PATTERN } from '../core/store-keys.ts';
import type { BuildKeys } from './build-keys.ts';
import { type KvTarget, listAllKeys } from './kv-target.ts';

export type GarbageOptions = {
  /** Also delete the one-key-per-path layout's keys (see publish-build.ts for when). */
  deleteLegacy: boolean;
  /** Those keys as listed earlier (scripts/deploy.ts, while its build ran); default: now. */
  legacyKeys?: Promise<string[]> | undefined;
  sleep: (ms: number) => Promise<void>;
};

export type GarbageResult = { deleted: number; failed: number; note?: string };

/**
 * Deletes the `candidates` (`c:`/`m:` keys: everything listed, or what the builds a switch
 * dropped named) that no kept build names. When a kept build's shard cannot be read, the
 * contents it needs are unknown, so no content is deleted at all (shards still are):
 * collection may leave garbage, never take what a kept build needs. Keys that fail to
 * delete are tried once more, then left (`--verify-all` finds them).
 */
export async function collectGarbage(
  target: KvTarget,
  candidates: Iterable<string>,
  kept: readonly BuildKeys[],
  options: GarbageOptions,
): Promise<GarbageResult> {
  return deleteUnnamed(target, [...candidates], kept, options);
}

async function deleteUnnamed(
  target: KvTarget,
  candidates: readonly string[],
  kept: readonly BuildKeys[],
  options: GarbageOptions,
): Promise<GarbageResult> {
  const unreadable = kept.flatMap((build) => build.unreadable);
  const doomed = candidates.filter(
    (key) =>
      !kept.some((build) => build.keys.has(key)) &&
      (unreadable.length === 0 || !key.startsWith(CONTENT_PREFIX)),
  );
  if (options.deleteLegacy) {
    // A loop, not push(...keys): an old namespace holds a `doc:` key per path, 100,000s.
    for (const key of await (options.legacyKeys ?? listLegacyKeys(target))) doomed.push(key);
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

/**
 * The one-key-per-path layout's keys the namespace still holds (`doc:…`, `meta:build`,
 * `meta:manifest`). Nothing of this layout writes them, so a list taken before a deploy's
 * switch is the list after it; one that an older edgefeed writes meanwhile waits for the
 * next deploy.
 */
export async function listLegacyKeys(target: KvTarget): Promise<string[]> {
  const [docs, metas] = await Promise.all([
    listAllKeys(target, 'doc:'),
    listAllKeys(target, 'meta:'),
  ]);
  return [...docs, ...metas].filter((key) => LEGACY_KEY_PATTERN.test(key));
}
