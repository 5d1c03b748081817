import type { BuildPointer, BuildRecord, KeptBuild } from './build-record.ts';

/** Builds the pointer keeps besides the one served, whatever their age (rollback targets). */
export const KEEP_PREVIOUS_BUILDS = 4;

/**
 * A build retired less than this long ago stays kept whatever the count: KV takes up to
 * ~60 s to show a new pointer everywhere, and a location still serving a build must find
 * all of it (docs/decisions.md, "One build at a time").
 */
export const GRACE_SECONDS = 600;

/**
 * The pointer after switching to `build` at `now`: `build` first (served), the one served
 * until now retired at `now`, then the rest in the order they were last served. A build
 * leaves the list only when it is beyond the KEEP_PREVIOUS_BUILDS most recent others and
 * was retired more than GRACE_SECONDS ago. Switching to a kept build (rollback) moves it to
 * the front; its record is the one the pointer kept. Pure: the same inputs, the same pointer.
 */
export function switchPointer(
  pointer: BuildPointer | undefined,
  build: BuildRecord | KeptBuild,
  now: Date,
): BuildPointer {
  const at = now.toISOString();
  const previous = (pointer?.builds ?? [])
    .filter((kept) => kept.buildId !== build.buildId)
    .map((kept): KeptBuild => {
      if (kept.buildId === pointer?.current && kept.retiredAt === undefined) {
        return { ...kept, retiredAt: at };
      }
      return kept;
    });
  const served: KeptBuild = { ...recordOf(build), switchedAt: at };
  const graceStart = now.getTime() - GRACE_SECONDS * 1000;
  const kept = previous.filter(
    (candidate, index) => index < KEEP_PREVIOUS_BUILDS || retiredSince(candidate, graceStart),
  );
  return { version: 1, current: build.buildId, builds: [served, ...kept] };
}

/** The build's own record, without when the pointer last switched to it or away. */
function recordOf(build: BuildRecord | KeptBuild): BuildRecord {
  if (!('switchedAt' in build)) return build;
  const { switchedAt: _switched, retiredAt: _retired, ...record } = build;
  return record;
}

/** True when `build` was retired at or after `since` (epoch ms); unparseable dates count as recent. */
function retiredSince(build: KeptBuild, since: number): boolean {
  if (build.retiredAt === undefined) return true;
  const retired = Date.parse(build.retiredAt);
  return Number.isNaN(retired) || retired >= since;
}

/** The build a rollback without an argument returns to: the one served most recently before the current. */
export function previousBuild(pointer: BuildPointer): KeptBuild | undefined {
  return pointer.builds.find((build) => build.buildId !== pointer.current);
}
