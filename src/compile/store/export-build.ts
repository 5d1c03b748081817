import { mkdirSync, readFileSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { isFeedViewPath } from '../../core/document-paths.ts';
import type { ManifestEntry } from '../../core/manifest.ts';
import { contentKey } from '../../core/store-keys.ts';
import type { ValueStore } from './value-store.ts';

/** What an export folder holds, by path (content hash), kept beside the build cache. */
type ExportRecord = Record<string, string>;

/**
 * `--export DIR`: every served document as a plain file at its URL path (`index.html` for
 * a path ending in `/`, each segment percent-decoded as a static host decodes the URL), byte
 * for byte what the worker serves. Only files whose bytes changed since the last export to
 * the same folder are written, and files of documents the build no longer has are removed,
 * so an incremental build's export equals a cold build's. What the folder holds is recorded
 * in `recordFile` (in the cache folder; without one, every file is written).
 */
export function exportBuild(options: {
  store: ValueStore;
  manifest: ReadonlyMap<string, ManifestEntry>;
  dir: string;
  recordFile: string | undefined;
}): { written: number; removed: number } {
  const { store, manifest, recordFile } = options;
  const dir = resolve(options.dir);
  const records = recordFile ? readRecords(recordFile) : {};
  const before = records[dir] ?? {};
  const after: ExportRecord = {};
  let written = 0;
  for (const [path, [hash]] of manifest) {
    // A feed's browser view shares its feed's URL; a static host serves the feed.
    if (isFeedViewPath(path)) continue;
    after[path] = hash;
    if (before[path] === hash) continue;
    const file = fileOf(dir, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, store.read(contentKey(hash)));
    written++;
  }
  let removed = 0;
  for (const path of Object.keys(before)) {
    if (Object.hasOwn(after, path)) continue;
    const file = fileOf(dir, path);
    rmSync(file, { force: true });
    removeEmptyFolders(dirname(file), dir);
    removed++;
  }
  if (recordFile) {
    records[dir] = after;
    mkdirSync(dirname(recordFile), { recursive: true });
    writeFileSync(`${recordFile}.tmp`, JSON.stringify(records));
    renameSync(`${recordFile}.tmp`, recordFile);
  }
  return { written, removed };
}

/** The file a static host serves for a canonical path (segments cannot climb out). */
export function fileOf(dir: string, path: string): string {
  const segments = path.split('/').slice(1).map(decodeURIComponent);
  if (path.endsWith('/')) segments[segments.length - 1] = 'index.html';
  return join(dir, ...segments);
}

function readRecords(file: string): Record<string, ExportRecord> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, ExportRecord>;
  } catch {
    return {};
  }
}

function removeEmptyFolders(from: string, root: string): void {
  for (let folder = from; folder.startsWith(root) && folder !== root; folder = dirname(folder)) {
    try {
      rmdirSync(folder);
    } catch {
      return; // not empty
    }
  }
}
