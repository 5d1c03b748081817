#!/usr/bin/env node
// edgefeed build: seeds → the store, dist/build.json and dist/build-report.json (see --help).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { summarizeArchives, summarizeReport } from './build-report.ts';
import { buildSite, saveSession, storeDirOf } from './build-site.ts';
import { BUILD_USAGE, type BuildOptions, parseBuildArgs, UsageError } from './parse-build-args.ts';
import { createProgressLine } from './progress-line.ts';
import { type BuildSession, newSession } from './watch/build-session.ts';
import { watchSeeds } from './watch/watch-seeds.ts';

/** How long a watch waits after a rebuild before writing the cache folder. */
const IDLE_SAVE_MS = 1000;
/** How long a watch waits before building again after a build failed with an error. */
const RETRY_MS = 1000;

/** Runs the build command; returns its exit status (0 built, 1 invalid seeds, 2 usage). */
export async function runBuildCommand(argv: string[]): Promise<number> {
  let options: ReturnType<typeof parseBuildArgs>;
  try {
    options = parseBuildArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`edgefeed build: ${error.message}\n\n${BUILD_USAGE}\n`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(`${BUILD_USAGE}\n`);
    return 0;
  }
  if (options.watch) return watchAndRebuild(options);
  return buildOnce(options);
}

/** One build: the stored build, the report, and what to tell the user. Returns the exit status. */
async function buildOnce(options: BuildOptions, session?: BuildSession): Promise<number> {
  const progress = createProgressLine(process.stderr, 'rendering', 'documents');
  let result: Awaited<ReturnType<typeof buildSite>>;
  try {
    result = await buildSite(
      options,
      (_phase, done, total) => progress.update(done, total),
      session,
    );
  } catch (error) {
    progress.finish();
    process.stderr.write(
      `edgefeed build: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  }
  progress.finish();
  if (result.cacheIgnored) {
    process.stderr.write(
      `edgefeed build: cache ignored (${result.cacheIgnored}); building everything\n`,
    );
  }
  if (process.env.EDGEFEED_TIMING === '1') {
    // maxRSS covers the whole process, its parser threads included (KiB on Linux).
    process.stderr.write(
      `timing peak rss: ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB\n`,
    );
  }
  const { report, ok } = result;
  await mkdir(options.outDir, { recursive: true });
  await writeAtomically(
    join(options.outDir, 'build-report.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  );
  if (report.problems.length > 0) {
    // Problems are printed even with --quiet: they are what the user must act on.
    process.stderr.write(`${report.problems.join('\n')}\n`);
    process.stderr.write(
      options.skipInvalid
        ? `${report.rejected.length} seed file(s) rejected (--skip-invalid): listed in ${join(options.outDir, 'build-report.json')}\n`
        : `${report.rejected.length} seed file(s) invalid: nothing written; fix them or pass --skip-invalid\n`,
    );
  }
  if (!ok && !options.skipInvalid) return 1;
  const cache = options.cacheDir
    ? `cache: ${result.parsed} seeds read, ${result.rendered} documents rendered, ${result.reused} reused (${options.cacheDir})`
    : 'cache: off';
  const stored = `store: ${result.added.values} new values, ${result.added.bytes} bytes (${storeDirOf(options)})`;
  const exported = result.exported
    ? `; exported to ${options.exportDir}: ${result.exported.written} files written, ${result.exported.removed} removed`
    : '';
  const wrote = `build ${result.record?.buildId ?? '?'} → ${join(options.outDir, 'build.json')}${exported}`;
  if (options.quiet) {
    const r = report;
    process.stdout.write(
      `files read ${r.filesRead}: published ${r.published}, unpublished ${r.unpublished}, invalid ${r.invalid}, duplicates merged ${r.duplicatesMerged}; feeds ${r.feeds}, documents ${r.documents}, ${r.bytes} bytes, ${r.milliseconds} ms; ${summarizeArchives(r.archives)}; ${cache}; ${stored}; ${wrote}\n`,
    );
  } else process.stdout.write(`${summarizeReport(report)}\n${cache}\n${stored}\n${wrote}\n`);
  return 0;
}

/**
 * `--watch`: build, then rebuild whenever file-system events name a seed or another input.
 * The session keeps what the last build knew, so a rebuild reads only the seeds named and
 * renders only the documents whose inputs changed; the cache folder is written once the
 * watch has been idle for a moment, and on Ctrl-C.
 */
async function watchAndRebuild(options: BuildOptions): Promise<number> {
  const session = newSession();
  await buildOnce(options, session);
  const inputs = [options.configPath, ...(options.taxonomyDir ? [options.taxonomyDir] : [])];
  const watcher = watchSeeds(options.seedsDir, inputs, session, () => void rebuild());
  let running = false;
  let again = false;
  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    if (options.cacheDir && session.state && session.unsaved) {
      saveSession(options.cacheDir, session);
      session.unsaved = false;
    }
  };
  let stopped = false;
  let current: Promise<void> = Promise.resolve();
  const rebuild = (): Promise<void> => {
    if (stopped) return current;
    if (running) {
      again = true;
      return current;
    }
    current = rebuildNow();
    return current;
  };
  const rebuildNow = async (): Promise<void> => {
    running = true;
    clearTimeout(saveTimer);
    const rescan = session.changed === undefined;
    const started = performance.now();
    const code = await buildOnce(options, session);
    const ms = Math.round(performance.now() - started);
    // "rebuilt" only when the new build is written: tools wait for that line.
    process.stdout.write(code === 0 ? `rebuilt in ${ms} ms\n` : `rebuild failed in ${ms} ms\n`);
    // Events that came while it ran (their settle timer may have fired into `running`).
    if (session.changed === undefined || session.changed.size > 0) again = true;
    // Folders may have come or gone: watch the ones the fresh listing found. A folder new
    // to the watch may have gained seeds after that listing and before its watch began,
    // so a new folder means one more listing.
    if (rescan && !stopped && watcher.refresh()) {
      session.changed = undefined;
      again = true;
    }
    saveTimer = setTimeout(save, IDLE_SAVE_MS);
    running = false;
    if (code === 2 && again && !stopped) {
      // The build itself failed (not a seed): try again in a moment, not in a tight loop.
      again = false;
      setTimeout(() => void rebuild(), RETRY_MS);
      return;
    }
    if (again && !stopped) {
      again = false;
      await rebuildNow();
    }
  };
  process.stdout.write(`watching ${options.seedsDir} for changes (Ctrl-C stops)\n`);
  return new Promise((resolve) => {
    // Ctrl-C lets a rebuild that is running finish, then saves what it made.
    const stop = () => {
      stopped = true;
      watcher.close();
      void current.finally(() => {
        clearTimeout(saveTimer);
        save();
        resolve(0);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runBuildCommand(process.argv.slice(2));
}
