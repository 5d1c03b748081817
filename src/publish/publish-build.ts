import type { BuildPointer } from '../core/build-record.ts';
import type { BuildSource } from '../core/build-source.ts';
import { switchPointer } from '../core/kept-builds.ts';
import { POINTER_KEY } from '../core/store-keys.ts';
import {
  type BuildKeys,
  keysOfBuilds,
  listBuildKeys,
  type ShardReader,
  type ShardsReader,
} from './build-keys.ts';
import { collectGarbage, type GarbageResult } from './collect-garbage.ts';
import type { KvTarget } from './kv-target.ts';
import { PublishError } from './publish-error.ts';
import { checkAndReadPointer, type PointerState, pointerBytes } from './read-build-pointer.ts';
import { uploadValues } from './upload-values.ts';
import { verifyPresent } from './verify-present.ts';

export type PublishOptions = {
  target: KvTarget;
  source: BuildSource;
  /** Reads a shard of any build (the local value store first, then the namespace). */
  readShard: ShardReader;
  /** The same for many shards in one go (`bulk/get` batches); default: `readShard` each. */
  readShards?: ShardsReader;
  /**
   * The target checked and its pointer read while the build ran (scripts/deploy.ts: two
   * round trips off a CI job's deploy). Default: `checkAndReadPointer` here.
   */
  pointer?: Promise<PointerState>;
  /** The old layout's keys, listed while the build ran too (collect-garbage.ts). */
  legacyKeys?: Promise<string[]>;
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
  now?: () => Date;
  dryRun?: boolean;
  /**
   * `--verify-all`: list the whole namespace instead of trusting the pointer, upload what the
   * build lacks, report what kept builds lack, and delete what no kept build names.
   */
  verifyAll?: boolean;
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
  /**
   * Called when the namespace lacks values the source does not hold (a `--changed-only`
   * build meeting a namespace that lost them, or a new one): returns the same build with
   * every body (built again, rendering what is missing). Without it the deploy refuses.
   */
  renderMissing?: () => Promise<BuildSource>;
  /** Waits before looking again when keys written do not show yet. */
  verifyWaitsMs?: readonly number[];
  onProgress?: (done: number, total: number) => void;
};

/** What `--verify-all` found: keys listed, keys kept builds name that are absent, strays. */
export type AuditResult = { listed: number; missing: number; stray: number };

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
  audit?: AuditResult;
};

/**
 * Publishes a build, costing what changed. What the namespace holds is known from the
 * pointer: its kept builds' shards name their values, and a build is only switched to after
 * its values were checked to be there. So the deploy uploads what the build names that no
 * kept build names, reads exactly those back (refusing to switch while any is absent),
 * switches the pointer in one write, calls the deploy trigger, and deletes what only the
 * builds the switch dropped named. Without a pointer (a first deploy) or with `verifyAll`
 * it lists the namespace instead. Until the pointer write nothing that is served changes,
 * and every step can be repeated: killed anywhere, the old build serves whole, and the same
 * command again finishes the job.
 */
export async function publishBuild(options: PublishOptions): Promise<PublishSummary> {
  const { target, log } = options;
  let source = options.source;
  const record = source.record;
  const now = options.now ?? (() => new Date());
  const read = await (options.pointer ?? checkAndReadPointer(target));
  if (read.state === 'invalid') log(`deploy: ${read.reason}; it will be replaced`);
  const pointer = read.state === 'loaded' ? read.pointer : undefined;
  const previous = pointer?.current ?? null;
  const named = [...source.keys()];
  const namedSet = new Set(named);
  const readShards = options.readShards ?? readEach(options.readShard);
  const keptKeys = pointer ? await keysOfBuilds(pointer.builds, readShards) : [];
  const listed =
    pointer === undefined || options.verifyAll ? await listBuildKeys(target) : undefined;
  const known = listed ?? knownPresent(keptKeys);
  const missing = named.filter((key) => !known.has(key));
  const unheld = missing.filter((key) => source.holds?.(key) === false);
  if (unheld.length > 0) {
    if (options.renderMissing === undefined) {
      throw new PublishError(
        `${target.name} lacks ${unheld.length} values build ${record.buildId} names that the local store does not hold either (${unheld.slice(0, 3).join(', ')}${unheld.length > 3 ? ', …' : ''}): build without --changed-only and deploy again; nothing was written`,
      );
    }
    log(
      `deploy: ${target.name} lacks ${unheld.length} values the build kept only as hashes; rendering them`,
    );
    source = await options.renderMissing();
    if (source.record.buildId !== record.buildId) {
      throw new PublishError(
        `building again made build ${source.record.buildId}, not ${record.buildId}: did the seeds change meanwhile? Nothing was written; deploy again`,
      );
    }
  }
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
  if (listed !== undefined && options.verifyAll) {
    summary.audit = audit(listed, keptKeys, namedSet);
    log(
      `audit: ${listed.size} keys listed; ${summary.audit.missing} named by kept builds are missing${missing.length > 0 ? ` (${missing.length} of this build's sent again)` : ''}; ${summary.audit.stray} named by no kept build${summary.audit.stray > 0 && !options.dryRun ? ' (deleted)' : ''}`,
    );
  }
  if (options.dryRun) {
    const bytes = await sizeOf(source, missing);
    log(
      previous === record.buildId
        ? `deploy (dry run): build ${record.buildId} is already served by ${target.name}; would upload ${missing.length} values (${bytes} bytes)`
        : `deploy (dry run): would upload ${missing.length} values (${bytes} bytes; ${summary.alreadyThere} already there) to ${target.name} and switch ${previous ?? '(nothing)'} → ${record.buildId}`,
    );
    return summary;
  }
  if (missing.length > 0) {
    summary.uploaded = await uploadValues(target, source, missing, {
      sleep: options.sleep,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    await verifyPresent({ ...options, source }, missing, known.size + missing.length);
  }
  // The old layout's keys serve an edgefeed worker from before the pointer; the first
  // deploy of this layout leaves them in case that worker still runs (no --worker).
  const deleteLegacy = options.workerDeployed === true || pointer !== undefined;
  const thisBuild: BuildKeys = { keys: namedSet, unreadable: [] };
  /** Collects what no build the pointer now keeps (`kept`) names. */
  const collectFor = (kept: readonly string[]) =>
    collect(options, pointer, keptKeys, thisBuild, new Set(kept), listed, deleteLegacy);
  if (previous === record.buildId && pointer !== undefined) {
    log(`deploy: build ${record.buildId} is already served by ${target.name}; nothing to switch`);
    await options.afterSwitch?.();
    summary.garbage = await collectFor(summary.kept);
    return summary;
  }
  const next = switchPointer(pointer, record, now());
  await target.put(POINTER_KEY, pointerBytes(next));
  summary.switched = true;
  summary.kept = next.builds.map((build) => build.buildId);
  await options.afterSwitch?.();
  if (options.notify) summary.trigger = await options.notify(previous, record.buildId);
  // An unreadable pointer named builds we cannot know: collect nothing this time.
  if (read.state !== 'invalid') summary.garbage = await collectFor(summary.kept);
  return summary;
}

/**
 * Deletes what no build in `stays` names: among everything listed when the namespace was
 * listed, else among the keys of the builds the `old` pointer kept and `stays` lacks.
 */
async function collect(
  options: PublishOptions,
  old: BuildPointer | undefined,
  oldKeys: readonly BuildKeys[],
  thisBuild: BuildKeys,
  stays: ReadonlySet<string>,
  listed: ReadonlySet<string> | undefined,
  deleteLegacy: boolean,
): Promise<GarbageResult> {
  const kept = [thisBuild];
  const dropped = new Set<string>();
  (old?.builds ?? []).forEach((build, index) => {
    const keys = oldKeys[index];
    if (keys === undefined) return;
    if (stays.has(build.buildId)) kept.push(keys);
    else for (const key of keys.keys) dropped.add(key);
  });
  const result = await collectGarbage(options.target, listed ?? dropped, kept, {
    deleteLegacy,
    legacyKeys: options.legacyKeys,
    sleep: options.sleep,
  });
  if (result.note) options.log(`gc: ${result.note}`);
  return result;
}

function audit(
  listed: ReadonlySet<string>,
  kept: readonly BuildKeys[],
  named: ReadonlySet<string>,
): AuditResult {
  const wanted = union(kept);
  for (const key of named) wanted.add(key);
  let missing = 0;
  for (const key of union(kept)) if (!listed.has(key)) missing++;
  let stray = 0;
  for (const key of listed) if (!wanted.has(key)) stray++;
  return { listed: listed.size, missing, stray };
}

/** What kept builds name, less the shards that could not be read: those may be gone. */
function knownPresent(builds: readonly BuildKeys[]): Set<string> {
  const keys = union(builds);
  for (const build of builds) for (const key of build.unreadable) keys.delete(key);
  return keys;
}

function union(builds: readonly BuildKeys[]): Set<string> {
  const keys = new Set<string>();
  for (const build of builds) for (const key of build.keys) keys.add(key);
  return keys;
}

function readEach(readShard: ShardReader): ShardsReader {
  return async (keys) => {
    const found = new Map<string, Uint8Array | null>();
    for (const key of keys) found.set(key, await readShard(key));
    return found;
  };
}

async function sizeOf(source: BuildSource, keys: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const key of keys) bytes += (await source.readValue(key)).byteLength;
  return bytes;
}
