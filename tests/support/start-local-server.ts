// The real `npm start` (scripts/start.ts: build, load into a private local store, wrangler
// dev) as a child process on a free port of 127.0.0.1, for tests that read a site over HTTP.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const ROOT = join(import.meta.dirname, '../..');
const START_TIMEOUT_MS = 150_000;

export type LocalServer = {
  /** `http://127.0.0.1:PORT`, also the build's `--site-url`. */
  origin: string;
  /** Stops `npm start` (it stops wrangler dev), removes the build, cache and store. */
  stop: () => Promise<void>;
};

/** A port nothing listens on now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * Runs `npm start -- <buildFlags> --port P --persist-to … --site-url http://127.0.0.1:P`
 * with its build output, cache and store in a temporary folder, and resolves once
 * `/healthz` answers 200.
 */
export async function startLocalServer(buildFlags: string[]): Promise<LocalServer> {
  const dir = await mkdtemp(join(tmpdir(), 'edgefeed-start-'));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'scripts/start.ts'),
      ...buildFlags,
      ...['--out', join(dir, 'out'), '--cache-dir', join(dir, 'cache'), '--quiet'],
      ...['--port', String(port), '--persist-to', join(dir, 'state'), '--site-url', origin],
    ],
    {
      cwd: ROOT,
      // Its own process group, so that a start that hangs can be killed with wrangler and
      // workerd; the normal stop signals npm start alone, which stops wrangler itself.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' },
    },
  );
  let log = '';
  const keep = (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-6000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const stop = async () => {
    await stopStart(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(origin, child, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { origin, stop };
}

async function waitForHealth(origin: string, child: ChildProcess, log: () => string) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`npm start exited (${child.exitCode ?? child.signalCode}):\n${log()}`);
    }
    const status = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
      async (response) => {
        await response.arrayBuffer();
        return response.status;
      },
      () => 0,
    );
    if (status === 200) return;
    await delay(500);
  }
  throw new Error(
    `npm start did not answer ${origin}/healthz in ${START_TIMEOUT_MS} ms:\n${log()}`,
  );
}

/** SIGTERM to npm start (as Ctrl-C would); SIGKILL to its whole group after 15 s. */
async function stopStart(child: ChildProcess): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // the group is gone already
    }
  }, 15_000);
  await exited;
  clearTimeout(timer);
}
