import type { BuildPointer } from '../core/build-record.ts';
import type { BuildSource } from '../core/build-source.ts';
import { switchPointer } from '../core/kept-builds.ts';
import { POINTER_KEY } from '../core/store-keys.ts';
import { listBuildKeys, type ShardReader } from './build-keys.ts';
import { collectGarbage, type GarbageResult } from './collect-garbage.ts';
import type { KvTarget } from './kv-target.ts';
import { pointerBytes, readBuildPointer } from './read-build-pointer.ts';
import { uploadValues } from './upload-values.ts';
import { verifyPresent } from './verify-present.ts';

export type PublishOptions = {
  target: KvTarget;
  source: BuildSource;
  /** Reads a shard of any build (the local value store first, then the namespace). */
  readShard: ShardReader;
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
  now?: () => Date;
  dryRun?: boolean;
  /** The worker was just deployed too (`--worker`): the old layout's keys may go at once. */
  workerDeployed?: boolean;
  /**
   * Runs right after the switch (and on a deploy of the build already served): `--worker`'s
   * `wrangler deploy`. After, not before: a worker from before the pointer ignores it and
   * serves the old keys whole meanwhile, and the new worker finds the pointer in place.
   */
  afterSwitch?: () => Promise<void>;
  /** Called once the pointer names the new build; returns one line to print. */
  notify?: (previous: string | null, current: string) => Promise<string>;
  /** Waits before listing again when keys written do not show yet (KV lists lag writes). */
  verifyWaitsMs?: readonly number[];
  onProgress?: (done: number, total: number) => void;
};

export type PublishSummary = {
  buildId: string;
  previous: string | null;
  /** False when the build was already served, or for a dry run. */
  switched: boolean;
  uploaded: { values: number; bytes: number };
  alreadyThere: number;
  kept: string[];
  garbage: GarbageResult | undefined;
  trigger: string | undefined;
};

/**
 * Publishes a build: uploads only the values the namespace lacks, lists again and checks
 * that every key the build names is there (refusing to switch otherwise, with the missing
 * keys), switches the pointer in one write, calls the deploy trigger, then deletes what no
 * kept build names. Until the pointer write nothing that is served changes, and every step
 * can be repeated: killed anywhere, the old build serves whole, and the same command again
 * finishes the job.
 */
export async function publishBuild(options: PublishOptions): Promise<PublishSummary> {
  const { target, source, log } = options;
  const record = source.record;
  const now = options.now ?? (() => new Date());
  await target.check();
  const read = await readBuildPointer(target);
  if (read.state === 'invalid') log(`deploy: ${read.reason}; it will be replaced`);
  const pointer = read.state === 'loaded' ? read.pointer : undefined;
  const previous = pointer?.current ?? null;
  const named = [...source.keys()];
  let present = await listBuildKeys(target);
  const missing = named.filter((key) => !present.has(key));
  const summary: PublishSummary = {
    buildId: record.buildId,
    previous,
    switched: false,
    uploaded: { values: 0, bytes: 0 },
    alreadyThere: named.length - missing.length,
    kept: pointer?.builds.map((build) => build.buildId) ?? [],
    garbage: undefined,
    trigger: undefined,
  };
  // The old layout's keys serve an edgefeed worker from before the pointer; the first
  // deploy of this layout leaves them in case that worker still runs (no --worker).
  const deleteLegacy = options.workerDeployed === true || pointer !== undefined;
  if (previous === record.buildId && pointer !== undefined) {
    log(`deploy: build ${record.buildId} is already served by ${target.name}; nothing to switch`);
    if (options.dryRun) return summary;
    await options.afterSwitch?.();
    summary.garbage = await collect(options, pointer, present, deleteLegacy);
    return summary;
  }
  if (options.dryRun) {
    const bytes = await sizeOf(source, missing);
    log(
      `deploy (dry run): would upload ${missing.length} values (${bytes} bytes; ${summary.alreadyThere} already there) to ${target.name} and switch ${previous ?? '(nothing)'} → ${record.buildId}`,
    );
    return summary;
  }
  if (missing.length > 0) {
    summary.uploaded = await uploadValues(target, source, missing, {
      sleep: options.sleep,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    present = await verifyPresent(options, named);
  }
  const next = switchPointer(pointer, record, now());
  await target.put(POINTER_KEY, pointerBytes(next));
  summary.switched = true;
  summary.kept = next.builds.map((build) => build.buildId);
  await options.afterSwitch?.();
  if (options.notify) summary.trigger = await options.notify(previous, record.buildId);
  // An unreadable pointer named builds we cannot know: collect nothing this time.
  if (read.state !== 'invalid') {
    summary.garbage = await collect(options, next, present, deleteLegacy);
  }
  return summary;
}

async function collect(
  options: PublishOptions,
  pointer: BuildPointer,
  present: ReadonlySet<string>,
  deleteLegacy: boolean,
): Promise<GarbageResult> {
  const result = await collectGarbage(options.target, {
    pointer,
    present,
    readShard: options.readShard,
    deleteLegacy,
    sleep: options.sleep,
  });
  if (result.note) options.log(`gc: ${result.note}`);
  return result;
}

async function sizeOf(source: BuildSource, keys: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const key of keys) bytes += (await source.readValue(key)).byteLength;
  return bytes;
}
