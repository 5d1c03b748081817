import { lstatSync } from 'node:fs';
import type { BuildState } from '../cache/build-cache.ts';
import type { CacheKey } from '../cache/cache-key.ts';
import type { CompiledSite } from '../compile-site.ts';
import type { FoundSeeds, SeedFile } from '../seeds/find-seed-files.ts';
import type { ValueStore } from '../store/value-store.ts';
import type { LastWrite } from '../store/write-build.ts';

/**
 * What `build --watch` keeps in memory between builds, so that a rebuild after one seed
 * changes neither starts Node, loads the cache, lists the folder, stats every seed nor
 * opens the store: the last build's state, its seed list, the open store, and the seeds
 * file-system events named since.
 */
export type BuildSession = {
  state: BuildState | undefined;
  /** The key `state` was built for, part by part (for the cache folder's snapshot). */
  cacheKey?: CacheKey | undefined;
  found: FoundSeeds | undefined;
  /** The last build's site, compiled, for a rebuild after edits to replan from. */
  compiled: CompiledSite | undefined;
  /** What the last build wrote, for the next to keep without looking each document up. */
  last: LastWrite | undefined;
  /** The value store, open, so a rebuild neither lists its packs nor reopens them. */
  store: ValueStore | undefined;
  /**
   * Seeds events named since the last build began, by name; undefined means the next
   * build lists and checks every seed. A build takes this and starts a new one, so that
   * events during a build are kept for the next.
   */
  changed: Map<string, SeedFile> | undefined;
  /** The state differs from the cache folder's copy (it is saved when the build is idle). */
  unsaved: boolean;
};

export function newSession(): BuildSession {
  return {
    state: undefined,
    found: undefined,
    compiled: undefined,
    last: undefined,
    store: undefined,
    changed: undefined,
    unsaved: false,
  };
}

/** Adds a seed that now exists, or drops one that no longer does. */
export function updateSeedList(found: FoundSeeds, seed: SeedFile): void {
  const files = found.files;
  let lo = 0;
  let hi = files.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (walkOrder((files[mid] as SeedFile).name, seed.name) < 0) lo = mid + 1;
    else hi = mid;
  }
  const present = files[lo]?.name === seed.name;
  const exists = existsAsEntry(seed.path);
  if (exists && !present) files.splice(lo, 0, seed);
  else if (!exists && present) files.splice(lo, 1);
}

/**
 * The order findSeedFiles lists seeds in: each folder's entries sorted by name, folders
 * walked where they sort — so names compare segment by segment, not as whole strings
 * (`b/x.md` comes before `b-2.md`, because the folder `b` sorts before the file `b-2.md`).
 */
export function walkOrder(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i] as string;
    const q = y[i] as string;
    if (p !== q) return p < q ? -1 : 1;
  }
  return x.length - y.length;
}

/** lstat, not stat: a broken link is still listed, as the folder walk lists it for the build to report. */
function existsAsEntry(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
