// Builds tests/fixtures/site with the real build, loads it into a fresh local KV store as a
// content-addressed build (values, then the pointer), and serves it with `wrangler dev` on
// 127.0.0.1: what `npm start` does, in a temporary folder, on a port of its own.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileBuild } from '../../../src/compile/compile-build.ts';
import { freePort } from '../../support/free-port.ts';
import { loadLocalBuild } from '../../support/load-local-build.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FIXTURE_SEEDS = join(ROOT, 'tests/fixtures/site');
const TAXONOMY = join(ROOT, 'tests/browser/fixtures/taxonomy');
/**
 * Tried first, so the URLs printed on the pages (and in the committed screenshots) stay
 * the same from run to run; any free port is taken when it is busy.
 */
const PREFERRED_PORT = 8797;
const START_TIMEOUT_MS = 60_000;

export type FixtureSite = {
  /** `http://127.0.0.1:PORT`, the site URL the build was made for. */
  origin: string;
  /** Every path the build wrote, e.g. `/`, `/topics/ai/rss.xml`. */
  paths: string[];
  /** A text document's bytes as the build wrote them, by path. */
  bodyOf: (path: string) => string | undefined;
  /** Stops wrangler and its workerd children (one process group), removes the store. */
  stop: () => Promise<void>;
};

export async function serveFixtureSite(): Promise<FixtureSite> {
  const port = (await isFree(PREFERRED_PORT)) ? PREFERRED_PORT : await freePort();
  const inspectorPort = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const dir = await mkdtemp(join(tmpdir(), 'edgefeed-browser-'));
  const persistTo = join(dir, 'state');
  const { build, report, documents } = await compileBuild({
    seedsDir: FIXTURE_SEEDS,
    outDir: join(dir, 'dist'),
    siteUrl: origin,
    taxonomyDir: TAXONOMY,
    pageSize: 50,
    skipInvalid: false,
    configPath: join(ROOT, 'edgefeed.config.json'),
    quiet: true,
  });
  if (report.problems.length > 0) {
    throw new Error(`tests/fixtures/site does not build:\n${report.problems.join('\n')}`);
  }
  await loadLocalBuild(build, { configPath: join(ROOT, 'wrangler.toml'), persistTo });

  const wrangler = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
  // detached: wrangler leads a new process group, so one signal reaches workerd too.
  const child = spawn(
    process.execPath,
    [
      wrangler,
      'dev',
      '--config',
      join(ROOT, 'wrangler.toml'),
      '--ip',
      '127.0.0.1',
      '--port',
      String(port),
      '--inspector-port',
      String(inspectorPort),
      '--persist-to',
      persistTo,
      '--log-level',
      'warn',
      '--show-interactive-dev-session=false',
    ],
    {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    },
  );
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const stop = async () => {
    await stopGroup(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(origin, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  const bodyOf = (path: string) => documents.find((d) => d.path === path)?.body;
  return { origin, paths: [...build.manifest.keys()].sort(), bodyOf, stop };
}

async function waitForHealth(origin: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`wrangler dev exited (${child.exitCode ?? child.signalCode}):\n${log()}`);
    }
    try {
      const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(
    `wrangler dev did not answer ${origin}/healthz in ${START_TIMEOUT_MS} ms:\n${log()}`,
  );
}

/** SIGTERM to the group we started, SIGKILL if it is still there after 5 s. */
async function stopGroup(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // the group is gone already
    }
  };
  signal('SIGTERM');
  const timer = setTimeout(() => signal('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
  // workerd may outlive wrangler by a moment; the group id is still ours to signal.
  signal('SIGKILL');
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
