import { type FSWatcher, lstatSync, statSync, watch } from 'node:fs';
import { join } from 'node:path';
import type { BuildSession } from './build-session.ts';
import { type FoundSeeds, SEED_NAME, type SeedFile } from './find-seed-files.ts';

/** Events this close together are one change (an editor's save is several). */
const SETTLE_MS = 10;

/**
 * Watches the folders that hold seeds (one inotify watch per folder, not per file) and the
 * other inputs (site config, taxonomy). Seed events are applied to the session — an added
 * or removed seed goes into the list where a folder walk would put it, and every named seed
 * is re-read by the next build — and `onSettled` runs once events stop for SETTLE_MS.
 * Anything the seed list cannot absorb (a new folder, a nameless event, another input)
 * makes the next build list and stat everything again.
 */
export function watchSeeds(
  root: string,
  otherInputs: string[],
  session: BuildSession,
  onSettled: () => void,
): { close: () => void; folders: string[] } {
  const watchers: FSWatcher[] = [];
  let timer: NodeJS.Timeout | undefined;
  const settle = () => {
    clearTimeout(timer);
    timer = setTimeout(onSettled, SETTLE_MS);
  };
  const rescan = () => {
    session.changed = undefined;
    settle();
  };
  const folders = new Map<string, string>([[root, '']]);
  for (const f of session.found?.folders ?? []) folders.set(f.path, f.prefix);
  for (const [folder, prefix] of folders) {
    const watcher = watch(folder, (_event, filename) => {
      if (filename === null) return rescan();
      const name = String(filename);
      if (name.startsWith('.')) return; // editor swap files; the folder walk skips them too
      if (!SEED_NAME.test(name)) {
        // A folder that came, or one of ours that went (with the seeds in it).
        const path = join(folder, name);
        if (isFolder(path) || folders.has(path)) rescan();
        return;
      }
      if (!session.found || !session.changed) return rescan();
      const seed = { path: join(folder, name), name: `${prefix}${name}` };
      session.changed.add(seed.name);
      updateList(session.found, seed);
      settle();
    });
    // A watched folder that is deleted or becomes unreadable: list everything again.
    watcher.on('error', rescan);
    watchers.push(watcher);
  }
  for (const input of otherInputs) {
    try {
      watchers.push(watch(input, { recursive: isFolder(input) }, rescan).on('error', rescan));
    } catch {
      // a missing config file is allowed (defaults apply); nothing to watch
    }
  }
  return {
    close: () => {
      clearTimeout(timer);
      for (const w of watchers) w.close();
    },
    folders: [...folders.keys()].sort(),
  };
}

/** Adds a seed that now exists, or drops one that no longer does. */
function updateList(found: FoundSeeds, seed: SeedFile): void {
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

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
