import { readFileSync } from 'node:fs';
import type { BuildState, CachedDocument } from './build-cache.ts';
import type { FoundSeeds } from './find-seed-files.ts';

/**
 * What `build --watch` keeps in memory between builds, so that a rebuild after one seed
 * changes neither starts Node, loads the cache, lists the folder, stats every seed nor
 * reads the previous bundle: the last build's state, its seed list, each document's bundle
 * line, and the seeds file-system events named since.
 */
export type BuildSession = {
  state: BuildState | undefined;
  found: FoundSeeds | undefined;
  lines: Map<string, Buffer> | undefined;
  /** Seeds events named since the last build; undefined means every seed is checked. */
  changed: Set<string> | undefined;
  /** The state differs from the cache folder's copy (it is saved when the build is idle). */
  unsaved: boolean;
};

export function newSession(): BuildSession {
  return {
    state: undefined,
    found: undefined,
    lines: undefined,
    changed: undefined,
    unsaved: false,
  };
}

/** Each document's line of a bundle file, by the offsets the build recorded. */
export function linesOf(path: string, documents: Map<string, CachedDocument>): Map<string, Buffer> {
  const bundle = readFileSync(path);
  const lines = new Map<string, Buffer>();
  for (const [key, d] of documents) lines.set(key, bundle.subarray(d.offset, d.offset + d.length));
  return lines;
}
