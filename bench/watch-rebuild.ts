import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countKvChanges, keepBuildFiles } from './count-kv-changes.ts';
import { applyChange, publishedSeed, type SeedChange } from './seed-changes.ts';

export type WatchRun = {
  /** From the change on disk to `build --watch` printing that the new build is written. */
  wallMs: number;
  parsed: number;
  rendered: number;
  kvWrites: number;
  kvGarbage: number;
  newlySealed: number;
};

export type WatchResult = {
  runs: Record<SeedChange, WatchRun>;
  /** VmHWM of the watching process: its peak RSS over all the rebuilds. */
  peakRssMiB: number;
};

/** How long no rebuild line must come before the next change is made. */
const QUIET_MS = 400;

/**
 * Rebuild latency under `build --watch`, as an editor sees it: one long-running build
 * process, a seed edited, added or deleted, and the time until it says the new build is
 * written (file-system event, settle time, rebuild). Medians of `runs` changes each, every
 * change undone (and rebuilt) before the next.
 */
export async function measureWatchRebuilds(args: {
  cli: string;
  buildArgs: string[];
  seedsDir: string;
  outDir: string;
  files: string[];
  runs: number;
}): Promise<WatchResult> {
  const child = spawn(process.execPath, [args.cli, ...args.buildArgs, '--quiet', '--watch'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  let lastLineAt = performance.now();
  const listeners = new Set<() => void>();
  child.stdout.on('data', (d) => {
    out += String(d);
    lastLineAt = performance.now();
    for (const l of listeners) l();
  });
  const waitFor = (re: RegExp, from: number, timeoutMs = 120_000) =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`watch: no ${re} in time:\n${out}`)),
        timeoutMs,
      );
      const check = () => {
        if (re.test(out.slice(from))) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve(performance.now());
        }
      };
      listeners.add(check);
      check();
    });
  const quiet = async () => {
    while (performance.now() - lastLineAt < QUIET_MS) await sleep(50);
  };
  try {
    await waitFor(/watching .* for changes/, 0);
    const runs = {} as Record<SeedChange, WatchRun>;
    for (const change of ['edit', 'add', 'delete'] as const) {
      const measured: WatchRun[] = [];
      for (let r = 0; r < args.runs; r++) {
        await quiet();
        const before = `${args.outDir}.before-watch`;
        keepBuildFiles(args.outDir, before);
        const from = out.length;
        const name = publishedSeed(args.seedsDir, args.files, args.files.length - 5 - 41 * r);
        const started = performance.now();
        const undo = applyChange(change, args.seedsDir, name, r + 100);
        const done = await waitFor(/rebuilt in \d+ ms/, from);
        const summary = out.slice(from);
        const number = (re: RegExp) => Number(re.exec(summary)?.[1] ?? Number.NaN);
        measured.push({
          wallMs: Math.round(done - started),
          parsed: number(/cache: (\d+) seeds read/),
          rendered: number(/(\d+) documents rendered/),
          ...countKvChanges(before, args.outDir),
        });
        const undoFrom = out.length;
        undo();
        await waitFor(/rebuilt in \d+ ms/, undoFrom);
      }
      measured.sort((a, b) => a.wallMs - b.wallMs);
      runs[change] = measured[Math.floor(measured.length / 2)] as WatchRun;
    }
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const peakRssMiB = Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024);
    return { runs, peakRssMiB };
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGINT');
    await exited;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export const watchCli = (repoRoot: string) => join(repoRoot, 'src/compile/cli.ts');
