import type { KeptBuild } from '../core/build-record.ts';
import { previousBuild, switchPointer } from '../core/kept-builds.ts';
import { POINTER_KEY } from '../core/store-keys.ts';
import { keysOfBuild, listBuildKeys, type ShardReader } from './build-keys.ts';
import type { KvTarget } from './kv-target.ts';
import { PublishError } from './publish-error.ts';
import { pointerBytes, readBuildPointer } from './read-build-pointer.ts';

export type RollbackOptions = {
  target: KvTarget;
  /** The build to serve; default: the one served before the current one. */
  buildId?: string | undefined;
  readShard: ShardReader;
  log: (line: string) => void;
  now?: () => Date;
  notify?: (previous: string | null, current: string) => Promise<string>;
};

export type RollbackSummary = { from: string; to: string; switched: boolean; trigger?: string };

/**
 * Switches the pointer to a kept build in one write, after checking every key it names is
 * still in the namespace. An unknown build, or one with missing keys, changes nothing and
 * says why (listing the kept builds, or the missing keys).
 */
export async function rollbackBuild(options: RollbackOptions): Promise<RollbackSummary> {
  const { target } = options;
  await target.check();
  const read = await readBuildPointer(target);
  if (read.state === 'missing') {
    throw new PublishError(
      `${target.name} has no build pointer (${POINTER_KEY}): deploy a build first`,
    );
  }
  if (read.state === 'invalid') {
    throw new PublishError(`${read.reason} in ${target.name}: deploy a build to replace it`);
  }
  const { pointer } = read;
  const wanted =
    options.buildId === undefined
      ? previousBuild(pointer)
      : pointer.builds.find((build) => build.buildId === options.buildId);
  if (wanted === undefined) {
    const what =
      options.buildId === undefined
        ? 'no earlier build is kept'
        : `build ${options.buildId} is not kept`;
    throw new PublishError(
      `${what} in ${target.name}; nothing changed. Kept builds (most recently served first):\n${pointer.builds.map((build) => describeKept(build, pointer.current)).join('\n')}`,
    );
  }
  if (wanted.buildId === pointer.current) {
    options.log(`rollback: build ${wanted.buildId} is already served; nothing to switch`);
    return { from: pointer.current, to: wanted.buildId, switched: false };
  }
  const needed = await keysOfBuild(wanted, options.readShard);
  const present = await listBuildKeys(target);
  const missing = [
    ...needed.unreadable,
    ...[...needed.keys].filter((key) => !present.has(key) && !needed.unreadable.includes(key)),
  ];
  if (missing.length > 0) {
    throw new PublishError(
      `refusing to switch to build ${wanted.buildId}: ${target.name} lacks ${missing.length} of its keys (${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}); nothing changed`,
    );
  }
  const next = switchPointer(pointer, wanted, (options.now ?? (() => new Date()))());
  await target.put(POINTER_KEY, pointerBytes(next));
  const trigger = options.notify
    ? await options.notify(pointer.current, wanted.buildId)
    : undefined;
  return {
    from: pointer.current,
    to: wanted.buildId,
    switched: true,
    ...(trigger ? { trigger } : {}),
  };
}

/** One line per kept build: id, what is served, its date and size. */
export function describeKept(build: KeptBuild, current: string): string {
  const state =
    build.buildId === current
      ? `served since ${build.switchedAt}`
      : `served ${build.switchedAt} – ${build.retiredAt ?? '?'}`;
  return `  ${build.buildId}  built ${build.builtAt}, ${build.counts.documents} documents, ${state}`;
}
