import { type FSWatcher, statSync, watch } from 'node:fs';
import { join } from 'node:path';
import { SEED_NAME } from '../seeds/find-seed-files.ts';
import { type BuildSession, updateSeedList } from './build-session.ts';

/** Events this close together are one change (an editor's save is several). */
const SETTLE_MS = 10;

/** A running watch: `refresh` follows the session's folder list; `close` ends it. */
export type SeedWatch = {
  /** Watches folders the last listing found and drops gone ones; true when any was new. */
  refresh: () => boolean;
  close: () => void;
};

/**
 * Watches the folders that hold seeds (one inotify watch per folder, not per file) and the
 * other inputs (site config, taxonomy). Seed events are applied to the session — an added
 * or removed seed goes into the list where a folder walk would put it, and every named seed
 * is re-read by the next build — and `onSettled` runs once events stop for SETTLE_MS.
 * Anything the seed list cannot absorb (a new folder, a nameless event, another input)
 * makes the next build list and stat everything again. A folder's watch lives as long as
 * the folder is listed: replacing watches after each listing lost the events in between.
 */
export function watchSeeds(
  root: string,
  otherInputs: string[],
  session: BuildSession,
  onSettled: () => void,
): SeedWatch {
  let timer: NodeJS.Timeout | undefined;
  const settle = () => {
    clearTimeout(timer);
    timer = setTimeout(onSettled, SETTLE_MS);
  };
  const rescan = () => {
    session.changed = undefined;
    settle();
  };
  const watched = new Map<string, { prefix: string; watcher: FSWatcher }>();
  const watchFolder = (folder: string, prefix: string) => {
    const watcher = watch(folder, (_event, filename) => {
      if (filename === null) return rescan();
      const name = String(filename);
      if (name.startsWith('.')) return; // editor swap files; the folder walk skips them too
      if (!SEED_NAME.test(name)) {
        // A folder that came, or one of ours that went (with the seeds in it).
        const path = join(folder, name);
        if (isFolder(path) || watched.has(path)) rescan();
        return;
      }
      if (!session.found || !session.changed) return rescan();
      const seed = { path: join(folder, name), name: `${prefix}${name}` };
      session.changed.set(seed.name, seed);
      updateSeedList(session.found, seed);
      settle();
    });
    // A watched folder that is deleted or becomes unreadable: list everything again.
    watcher.on('error', rescan);
    watched.set(folder, { prefix, watcher });
  };
  const refresh = () => {
    const listed = new Map<string, string>([[root, '']]);
    for (const f of session.found?.folders ?? []) listed.set(f.path, f.prefix);
    for (const [folder, entry] of watched) {
      if (listed.get(folder) !== entry.prefix) {
        entry.watcher.close();
        watched.delete(folder);
      }
    }
    let added = false;
    for (const [folder, prefix] of listed) {
      if (watched.has(folder)) continue;
      try {
        watchFolder(folder, prefix);
        added = true;
      } catch {
        rescan(); // gone again already: the next listing will say
      }
    }
    return added;
  };
  refresh();
  const others: FSWatcher[] = [];
  for (const input of otherInputs) {
    try {
      others.push(watch(input, { recursive: isFolder(input) }, rescan).on('error', rescan));
    } catch {
      // a missing config file is allowed (defaults apply); nothing to watch
    }
  }
  return {
    refresh,
    close: () => {
      clearTimeout(timer);
      for (const { watcher } of watched.values()) watcher.close();
      for (const w of others) w.close();
    },
  };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
