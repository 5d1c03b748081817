#!/usr/bin/env node
// edgefeed build: seeds → dist/kv-bundle.json + dist/build-report.json (see --help).
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { summarizeReport } from './build-report.ts';
import { buildBundleFile } from './compile-bundle.ts';
import { createProgressLine } from './kv-sync-progress.ts';
import { BUILD_USAGE, parseBuildArgs, UsageError } from './parse-build-args.ts';

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
  const progress = createProgressLine(process.stderr, 'rendering', 'documents');
  let result: Awaited<ReturnType<typeof buildBundleFile>>;
  try {
    result = await buildBundleFile(options, (_phase, done, total) => progress.update(done, total));
  } catch (error) {
    progress.finish();
    process.stderr.write(
      `edgefeed build: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 2;
  }
  progress.finish();
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
  const bundle = join(options.outDir, 'kv-bundle.json');
  if (options.quiet) {
    const r = report;
    process.stdout.write(
      `files read ${r.filesRead}: published ${r.published}, unpublished ${r.unpublished}, invalid ${r.invalid}, duplicates merged ${r.duplicatesMerged}; feeds ${r.feeds}, documents ${r.documents}, ${r.bytes} bytes, ${r.milliseconds} ms; ${cache} → ${bundle}\n`,
    );
  } else process.stdout.write(`${summarizeReport(report)}\n${cache}\nwrote ${bundle}\n`);
  return 0;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await runBuildCommand(process.argv.slice(2));
}
