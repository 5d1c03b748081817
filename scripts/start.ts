// npm start: build the seeds, load the bundle into wrangler dev's local KV, serve it.
import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { BUILD_USAGE, parseBuildArgs } from '../src/compile/parse-build-args.ts';
import { createProgressLine } from '../src/publish/kv-sync-progress.ts';
import { formatLoadSummary, loadLocalKv } from '../src/publish/load-local-kv.ts';
import { readKvBundle } from '../src/publish/read-kv-bundle.ts';
import { exitCodeOf, REPO_ROOT, runBuild } from './run-build.ts';

const START_USAGE = `${BUILD_USAGE.replace('npm run build --', 'npm start --')}

npm start runs the build with these flags, loads <out>/kv-bundle.json into the local KV
namespace FEEDS (Miniflare's store in .wrangler/state, the one \`wrangler dev\` reads),
writing only keys that changed and checking every key, then serves it with
\`wrangler dev\` on http://127.0.0.1:8787 (wrangler.toml [dev]). Ctrl-C stops the server.

Start options:
  --load-only        build and load, but do not start the server
  --verify-all       read every value back, not only the ones written now (slower)`;

const CONFIG_PATH = join(REPO_ROOT, 'wrangler.toml');

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(START_USAGE);
    return 0;
  }
  const loadOnly = argv.includes('--load-only');
  const verifyAllValues = argv.includes('--verify-all');
  const buildArgs = argv.filter((arg) => arg !== '--load-only' && arg !== '--verify-all');
  if (buildArgs.includes('--watch')) {
    console.error(
      'start: --watch is a build flag (npm run build -- --watch); npm start builds once and serves',
    );
    return 2;
  }
  const buildCode = await runBuild(buildArgs);
  if (buildCode !== 0) return buildCode;

  // The build accepted these flags, so parsing cannot fail here; it only yields outDir.
  const options = parseBuildArgs(buildArgs);
  if (options === 'help') return 0;
  const bundle = await readKvBundle(join(options.outDir, 'kv-bundle.json'));
  const result = await loadLocalKv(bundle, {
    configPath: CONFIG_PATH,
    binding: 'FEEDS',
    verifyAllValues,
    progress: createProgressLine(process.stderr, 'kv'),
  });
  console.log(formatLoadSummary(result));
  // The worker keeps documents in the Cache API for FEED_MAX_AGE; locally that cache
  // persists beside KV and would serve a previous bundle for minutes after a restart.
  // (On Cloudflare the same delay is by design: a new bundle reaches each edge within
  // max-age.) A fresh start serves exactly what KV now holds.
  await rm(join(REPO_ROOT, '.wrangler/state/v3/cache'), { recursive: true, force: true });
  if (loadOnly) return 0;
  return serve();
}

/** Runs `wrangler dev` in the foreground, passing on the signals that should stop it. */
function serve(): Promise<number> {
  const wrangler = join(REPO_ROOT, 'node_modules/wrangler/bin/wrangler.js');
  const child = spawn(process.execPath, [wrangler, 'dev', '--config', CONFIG_PATH], {
    stdio: 'inherit',
    cwd: REPO_ROOT,
  });
  const forward = (signal: NodeJS.Signals) => {
    // Ctrl-C reaches the whole process group, wrangler included; a second SIGINT would
    // only interrupt its own shutdown, so pass on signals it has not seen yet.
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(exitCodeOf(code, signal)));
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
