import type { BuildSource } from '../core/build-source.ts';
import type { KvPair, KvTarget } from './kv-target.ts';
import { PublishError } from './publish-error.ts';

export type UploadOptions = {
  /** Raw bytes read from the store per bulk call, so a big build never sits in memory whole. */
  groupBytes?: number;
  groupPairs?: number;
  /** Rounds of re-sending the keys the API reported as not stored. */
  rounds?: number;
  sleep: (ms: number) => Promise<void>;
  onProgress?: (done: number, total: number) => void;
};

/**
 * Uploads `keys` (values the namespace lacks) from the build's store. Keys the target
 * reports as not stored (`unsuccessful_keys`) are sent again, after 1 s, 2 s, 4 s…, for
 * `rounds` rounds; any still refused stop the deploy with their names, before the switch.
 */
export async function uploadValues(
  target: KvTarget,
  source: BuildSource,
  keys: readonly string[],
  options: UploadOptions,
): Promise<{ values: number; bytes: number }> {
  const groupBytes = options.groupBytes ?? 16 * 2 ** 20;
  const groupPairs = options.groupPairs ?? 10_000;
  let bytes = 0;
  let done = 0;
  const send = async (batch: readonly string[], first: boolean): Promise<string[]> => {
    const failed: string[] = [];
    let group: KvPair[] = [];
    let size = 0;
    const flush = async () => {
      if (group.length === 0) return;
      failed.push(...(await target.putMany(group)).failed);
      done += group.length;
      options.onProgress?.(done, keys.length);
      group = [];
      size = 0;
    };
    for (const key of batch) {
      const value = await source.readValue(key);
      group.push({ key, value });
      size += value.byteLength;
      if (first) bytes += value.byteLength;
      if (size >= groupBytes || group.length >= groupPairs) await flush();
    }
    await flush();
    return failed;
  };
  let failed = await send(keys, true);
  const rounds = options.rounds ?? 5;
  for (let round = 1; failed.length > 0 && round <= rounds; round++) {
    await options.sleep(1000 * 2 ** (round - 1));
    failed = await send([...new Set(failed)], false);
  }
  if (failed.length > 0) {
    throw new PublishError(
      `${target.name} did not store ${failed.length} values after ${rounds + 1} tries (${failed.slice(0, 5).join(', ')}${failed.length > 5 ? ', …' : ''}); nothing was switched: run the same command again`,
    );
  }
  return { values: keys.length, bytes };
}
