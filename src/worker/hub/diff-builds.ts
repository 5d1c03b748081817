import type { BuildRecord } from '../../core/build-record.ts';
import { isSubscriptionPath } from '../../core/document-paths.ts';
import type { ManifestEntry } from '../../core/manifest.ts';
import { readShard } from '../store/read-shard.ts';

/**
 * The documents of `current` (those `include` names: by default the subscription documents)
 * that a subscriber of `previous` has not seen: new paths, and paths whose content hash
 * differs. Shards are content-addressed and shared by
 * builds wherever nothing in them changed, so when both builds have the same number of
 * shards, a shard whose hash `previous` has at the same index is skipped unread, and the
 * others are compared pairwise. Otherwise every shard of both is read. Paths come sorted.
 * Without a previous build (the first deploy, or one no longer kept) every subscription
 * document is new. Removed documents are not listed: there is nothing to send.
 */
export async function changedDocuments(
  kv: KVNamespace,
  previous: BuildRecord | undefined,
  current: BuildRecord,
  include: (path: string) => boolean = isSubscriptionPath,
): Promise<Map<string, ManifestEntry>> {
  const changed: [string, ManifestEntry][] = [];
  const compare = (now: Record<string, ManifestEntry>, before: Record<string, ManifestEntry>) => {
    for (const [path, entry] of Object.entries(now)) {
      if (!include(path)) continue;
      if (!Object.hasOwn(before, path) || before[path]?.[0] !== entry[0]) {
        changed.push([path, entry]);
      }
    }
  };
  if (previous !== undefined && previous.shards.length === current.shards.length) {
    for (const [index, hash] of current.shards.entries()) {
      const previousHash = previous.shards[index];
      if (previousHash === hash || previousHash === undefined) continue;
      const [now, before] = await Promise.all([readShard(kv, hash), readShard(kv, previousHash)]);
      compare(now.documents, before.documents);
    }
  } else {
    const before: Record<string, ManifestEntry> = {};
    for (const hash of previous?.shards ?? []) {
      Object.assign(before, (await readShard(kv, hash)).documents);
    }
    for (const hash of current.shards) compare((await readShard(kv, hash)).documents, before);
  }
  changed.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(changed);
}
