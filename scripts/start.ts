// npm start: build the seeds, publish the build into the local store, serve it with wrangler dev.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { BUILD_USAGE, parseBuildArgs, UsageError } from '../src/compile/parse-build-args.ts';
import { createProgressLine } from '../src/compile/progress-line.ts';
import { openStoredBuild } from '../src/compile/store/open-stored-build.ts';
import { ACTOR_KEY_SECRET } from '../src/core/actor-key-secret.ts';
import { shardReaderFor } from '../src/publish/build-keys.ts';
import { localActorKey } from '../src/publish/local-actor-key.ts';
import {
  readServerFile,
  removeServerFile,
  writeServerFile,
} from '../src/publish/local-server-file.ts';
import { withSiteUrl } from '../src/publish/local-site-url.ts';
import { localStatsToken } from '../src/publish/local-stats-token.ts';
import { localWranglerEnv } from '../src/publish/local-wrangler-env.ts';
import { DEFAULT_PERSIST_TO, openTarget } from '../src/publish/open-target.ts';
import { publishBuild } from '../src/publish/publish-build.ts';
import { PublishError } from '../src/publish/publish-error.ts';
import { formatPublishSummary } from '../src/publish/publish-summary.ts';
import { formatServingNotice } from '../src/publish/serving-notice.ts';
import { splitArgs, stringFlag } from '../src/publish/split-args.ts';
import { exitCodeOf, REPO_ROOT, runBuild } from './run-build.ts';
import { runCommand } from './run-command.ts';

const START_USAGE = `${BUILD_USAGE.replace('npm run build --', 'npm start --')}

npm start runs the build with these flags, publishes it into the local store at
--persist-to (the namespace FEEDS of Miniflare's store, the one \`wrangler dev\` reads):
only values the store lacks are written, then the pointer switches to the build. It
serves the store with \`wrangler dev\` on http://127.0.0.1:PORT (started while the build
loads; the notice comes once the build is served) and writes
DIR/edgefeed-server.json while it runs, so that \`npm run deploy -- --local\` and
\`npm run rollback -- --local\` switch this server without a restart. Ctrl-C stops it.

Without --site-url, the build's site URL is the origin it serves, http://127.0.0.1:PORT,
so that its links, its WebSub hub and each feed's own URL (its topic) lead to this server.

Start options:
  --port N           port on 127.0.0.1 (default: 8787)
  --persist-to DIR   the local store's folder (default: ${DEFAULT_PERSIST_TO})
  --load-only        build and publish, but do not start the server`;

const CONFIG_PATH = join(REPO_ROOT, 'wrangler.toml');

async function main(argv: string[]): Promise<number> {
  const { own, rest } = splitArgs(argv, {
    port: 'string',
    'persist-to': 'string',
    'load-only': 'boolean',
  });
  const options = parseBuildArgs(rest);
  if (options === 'help') {
    console.log(START_USAGE);
    return 0;
  }
  if (options.watch) {
    throw new UsageError(
      '--watch is a build flag (npm run build -- --watch); npm start builds once and serves',
    );
  }
  const port = Number(stringFlag(own, 'port') ?? '8787');
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new UsageError(`--port must be a port number, not ${stringFlag(own, 'port')}`);
  }
  const persistTo = resolve(stringFlag(own, 'persist-to') ?? DEFAULT_PERSIST_TO);
  const running = readServerFile(persistTo);
  if (running && !own.has('load-only')) {
    throw new PublishError(
      `${running.origin} (process ${running.pid}) already serves ${persistTo}: stop it, or use \`npm run deploy -- --local --persist-to ${persistTo}\` to switch it`,
    );
  }
  // wrangler and Miniflare, here and in every child: no Request.cf fetch (local-wrangler-env.ts).
  Object.assign(process.env, localWranglerEnv(process.env));
  mkdirSync(persistTo, { recursive: true });
  const buildCode = await runBuild(withSiteUrl(rest, originOf(port)));
  if (buildCode !== 0) return buildCode;
  // wrangler dev starts while the build loads: its start (wrangler's bundle, esbuild, two
  // workerd processes) takes as long as the load. Nothing asks it anything until the load
  // is done: a read of the store while the loader's workerd writes to the same SQLite files
  // can fail with SQLITE_BUSY (and the worker would log a 503). A failed load stops it.
  const source = openStoredBuild(options.outDir);
  const server = own.has('load-only') ? undefined : serve(port, persistTo);
  try {
    await loadBuild(source, persistTo, server !== undefined);
  } catch (error) {
    await server?.stop();
    throw error;
  }
  if (server === undefined) return 0;
  server.announce(source.record.buildId);
  return server.exited;
}

/**
 * Publishes the build in `outDir` into the local store; with `migrate`, the store's D1
 * migrations are applied first, through the workerd that loads the build, not by a
 * `wrangler d1 migrations apply` process (apply-local-migrations.ts).
 */
async function loadBuild(
  source: ReturnType<typeof openStoredBuild>,
  persistTo: string,
  migrate: boolean,
): Promise<void> {
  const target = await openTarget({ local: true, configPath: CONFIG_PATH, persistTo, migrate });
  const started = performance.now();
  const progress = createProgressLine(process.stderr, 'load', 'values');
  try {
    const summary = await publishBuild({
      target,
      source,
      readShard: shardReaderFor(source.store, target),
      sleep: (ms) => delay(ms).then(() => undefined),
      log: (line) => console.error(line),
      onProgress: (done, total) => progress.update(done, total),
    });
    progress.finish();
    console.log(
      formatPublishSummary(
        summary,
        `(local, ${persistTo})`,
        target.stats(),
        performance.now() - started,
      ),
    );
  } finally {
    progress.finish();
    await target.close();
  }
}

/**
 * Runs `wrangler dev` in the foreground and records it in the server file while it runs;
 * `announce(buildId)`, called once the load is done, waits until it serves that build (a
 * store served before holds another until the switch) and prints where it serves and what
 * to open. wrangler's own log is kept to warnings and errors (its bindings table and
 * "Ready on" line say less than the notice);
 * WRANGLER_LOG=info (or debug) brings back its request log. It runs without fetching
 * `Request.cf` from the network (local-wrangler-env.ts).
 */
function serve(
  port: number,
  persistTo: string,
): { exited: Promise<number>; stop: () => Promise<void>; announce: (buildId: string) => void } {
  const deployToken = process.env.EDGEFEED_DEPLOY_TOKEN || randomBytes(24).toString('hex');
  const devVars = join(REPO_ROOT, '.dev.vars');
  const stats = localStatsToken(
    process.env,
    existsSync(devVars) ? readFileSync(devVars, 'utf8') : undefined,
  );
  const vars = [
    'BUILD_POINTER_SECONDS:1',
    'HUB_ALLOW_LOOPBACK:true',
    `DEPLOY_TOKEN:${deployToken}`,
    `STATS_TOKEN:${stats.token}`,
    // ActivityPub: the signing key, the environment's or this store's own (made once).
    `${ACTOR_KEY_SECRET}:${process.env[ACTOR_KEY_SECRET] || localActorKey(persistTo)}`,
  ];
  const args = [
    join(REPO_ROOT, 'node_modules/wrangler/bin/wrangler.js'),
    'dev',
    '--config',
    CONFIG_PATH,
    '--ip',
    '127.0.0.1',
    '--port',
    String(port),
    '--persist-to',
    persistTo,
    ...(process.env.WRANGLER_LOG ? [] : ['--log-level', 'warn']),
    // Its hotkeys box would be a second block; Ctrl-C stops it as before.
    '--show-interactive-dev-session=false',
    // The DevTools inspector on a port the system picks: wrangler's default (9229, if free
    // when it looks) lets two `npm start`s that start together (two stores, or the test
    // suite's two files at once) both pick 9229, and the second fails with "Address already
    // in use (socket direct:1:default)". EDGEFEED_INSPECTOR_PORT=N asks for a fixed one.
    '--inspector-port',
    process.env.EDGEFEED_INSPECTOR_PORT ?? '0',
    ...vars.flatMap((v) => ['--var', v]),
  ];
  const child = spawn(process.execPath, args, { stdio: 'inherit', cwd: REPO_ROOT });
  const origin = originOf(port);
  writeServerFile(persistTo, { pid: process.pid, port, origin, deployToken });
  const forward = (signal: NodeJS.Signals) => {
    // Ctrl-C reaches the whole process group, wrangler included; a second SIGINT would
    // only interrupt its own shutdown, so pass on signals it has not seen yet.
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);
  const running = () => child.exitCode === null && child.signalCode === null;
  const announce = (buildId: string) =>
    void serving(origin, buildId, running).then((served) => {
      if (!served) return;
      console.log(
        formatServingNotice({
          origin,
          buildId,
          statsToken: stats.token,
          statsTokenSource: stats.source,
        }),
      );
    });
  const exited = new Promise<number>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      removeServerFile(persistTo, process.pid);
      resolvePromise(exitCodeOf(code, signal));
    });
  });
  const stop = async () => {
    forward('SIGTERM');
    await exited.catch(() => 1);
  };
  return { exited, stop, announce };
}

/** Whether `origin` came to serve `buildId` (its /healthz answers 200 with it) while running. */
async function serving(origin: string, buildId: string, running: () => boolean): Promise<boolean> {
  while (running()) {
    try {
      // A slow answer (a busy machine) is asked again, never a failure of npm start.
      const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(5000) });
      await response.arrayBuffer();
      if (response.status === 200 && response.headers.get('X-Build-Id') === buildId) return true;
    } catch {
      // not listening yet
    }
    await delay(200);
  }
  return false;
}

/** Where `wrangler dev --ip 127.0.0.1 --port port` answers. */
function originOf(port: number): string {
  return `http://127.0.0.1:${port}`;
}

runCommand('start', () => main(process.argv.slice(2)), START_USAGE);
