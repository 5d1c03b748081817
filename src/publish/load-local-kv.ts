import { getPlatformProxy } from 'wrangler';
import { MANIFEST_KEY } from '../core/document-paths.ts';
import type { BundleEntry } from '../core/document-record.ts';
import { applyKvSync, type KvSyncCounts } from './apply-kv-sync.ts';
import type { ProgressLine } from './kv-sync-progress.ts';
import { createLocalKvTarget, isKvBinding, type KvBinding, listKvKeys } from './local-kv-target.ts';
import { type KvSyncPlan, parseKvManifest, planKvSync } from './plan-kv-sync.ts';
import { verifyKvBundle } from './verify-kv-bundle.ts';

export type LocalKvOptions = {
  configPath: string;
  /** The KV binding's name in the wrangler config. */
  binding: string;
  /** A persistence folder; default: wrangler's own (.wrangler/state), which `wrangler dev` reads. */
  persistTo?: string;
};

export type LoadLocalKvOptions = LocalKvOptions & {
  progress?: ProgressLine;
  /** Read every value back, not only those written now (see verifyKvBundle). */
  verifyAllValues?: boolean;
};

export type LoadLocalKvResult = KvSyncCounts & { verified: number; repaired: number; ms: number };

/**
 * Syncs a bundle into the local KV store that `wrangler dev` serves from, writing only
 * what changed, and proves it by reading every key back.
 *
 * getPlatformProxy opens the same Miniflare store as `wrangler dev` (same config, same
 * persistence path) and puts straight into it, ~2x faster than `wrangler kv bulk put
 * --local` and without a process per chunk.
 */
export async function loadLocalKv(
  bundle: readonly BundleEntry[],
  options: LoadLocalKvOptions,
): Promise<LoadLocalKvResult> {
  const started = performance.now();
  return withLocalKv(options, async (kv) => {
    const target = createLocalKvTarget(kv);
    const plan = await planLocalKvSync(kv, bundle);
    const counts = await applyKvSync(target, plan, (done, total) =>
      options.progress?.update(done, total),
    );
    options.progress?.finish();
    const written = new Set(plan.writeStages.flat().map((write) => write.entry.key));
    const readValue = (entry: BundleEntry) =>
      options.verifyAllValues === true || written.has(entry.key) || entry.metadata === undefined;
    let mismatches = await verifyKvBundle(kv, bundle, { readValue });
    const repaired = mismatches.length;
    if (repaired > 0) {
      // The manifest vouched for a key the store does not hold as built (edited or
      // deleted by hand): rewrite exactly those, then check again.
      const broken = new Set(mismatches.map((mismatch) => mismatch.key));
      await target.putEntries(bundle.filter((entry) => broken.has(entry.key)));
      mismatches = await verifyKvBundle(kv, bundle, {
        readValue: (entry) => broken.has(entry.key) || readValue(entry),
      });
    }
    if (mismatches.length > 0) {
      const lines = mismatches.slice(0, 10).map((m) => `  ${m.key}: ${m.problem}`);
      throw new Error(`KV verification failed for ${mismatches.length} keys:\n${lines.join('\n')}`);
    }
    return { ...counts, verified: bundle.length, repaired, ms: performance.now() - started };
  });
}

/** What a load would do, from the store's manifest and its key list. */
export async function planLocalKvSync(
  kv: KvBinding,
  bundle: readonly BundleEntry[],
): Promise<KvSyncPlan> {
  const manifest = parseKvManifest(await kv.get(MANIFEST_KEY, 'text'));
  // Listing a local store is cheap, so stale keys are found even without a manifest
  // (a store filled by hand with `wrangler kv bulk put --local`).
  const existingKeys = (await listKvKeys(kv)).map((key) => key.name);
  return planKvSync(bundle, manifest, { existingKeys });
}

/** Opens the local store `wrangler dev` uses, runs `use` on its KV binding, closes it. */
export async function withLocalKv<T>(
  options: LocalKvOptions,
  use: (kv: KvBinding) => Promise<T>,
): Promise<T> {
  const proxy = await getPlatformProxy({
    configPath: options.configPath,
    persist: options.persistTo === undefined ? true : { path: options.persistTo },
  });
  try {
    const kv = proxy.env[options.binding];
    if (!isKvBinding(kv)) {
      throw new Error(`${options.configPath} has no KV namespace bound as ${options.binding}`);
    }
    return await use(kv);
  } finally {
    await proxy.dispose();
  }
}

export function formatLoadSummary(result: LoadLocalKvResult): string {
  const repaired = result.repaired > 0 ? `, repaired ${result.repaired}` : '';
  return `kv: ${result.written} written, ${result.deleted} deleted, ${result.unchanged} unchanged${repaired}, verified ${result.verified} keys in ${Math.round(result.ms)} ms`;
}
