import { MANIFEST_KEY } from '../core/document-paths.ts';
import type { KvSyncTarget } from './kv-sync-target.ts';
import { countWrites, type KvSyncPlan } from './plan-kv-sync.ts';

export type KvSyncCounts = { written: number; deleted: number; unchanged: number };

/**
 * Applies a plan: each write stage in turn, then the deletes, then the manifest. The
 * manifest goes last so that an interrupted sync leaves one that under-promises: the
 * next run rewrites what it cannot vouch for, and deleting a missing key is harmless.
 */
export async function applyKvSync(
  target: KvSyncTarget,
  plan: KvSyncPlan,
  onProgress?: (done: number, total: number) => void,
): Promise<KvSyncCounts> {
  const total = countWrites(plan) + plan.deletes.length;
  let done = 0;
  for (const stage of plan.writeStages) {
    const before = done;
    await target.putEntries(
      stage.map((write) => write.entry),
      (stored) => onProgress?.(before + stored, total),
    );
    done = before + stage.length;
  }
  if (plan.deletes.length > 0) await target.deleteKeys(plan.deletes);
  done += plan.deletes.length;
  onProgress?.(done, total);
  await target.putEntries([{ key: MANIFEST_KEY, value: JSON.stringify(plan.manifest) }]);
  return {
    written: countWrites(plan),
    deleted: plan.deletes.length,
    unchanged: plan.unchanged.length,
  };
}
