// The user's local commands as child processes: `npm start` (scripts/start.ts) on a free
// port with a private store, and `npm run deploy -- --local` (scripts/deploy.ts) against it.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { SERVER_FILE } from '../../src/publish/local-server-file.ts';

const ROOT = join(import.meta.dirname, '../..');

export type StartedServer = {
  /** `http://127.0.0.1:<port>`. */
  origin: string;
  port: number;
  /** Everything start.ts, wrangler and workerd printed so far. */
  output(): string;
  /** SIGTERM to its process group (start.ts, wrangler, workerd), SIGKILL after 15 s. */
  stop(): Promise<void>;
};

export type ScriptResult = {
  code: number;
  output: string;
  /** performance.timeOrigin + performance.now() when the process had exited, in ms. */
  endedAt: number;
};

/** A port nothing listens on now (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
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
 * Runs `node scripts/start.ts <buildFlags> --port <free> --persist-to <persistTo>`, as
 * `npm start -- …` does, in a process group of its own, and resolves once its server file
 * is written and `/healthz` answers. Rejects with its output when it exits or takes longer
 * than `timeoutMs`.
 */
export async function startNpmStart(
  buildFlags: readonly string[],
  persistTo: string,
  timeoutMs = 150_000,
): Promise<StartedServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'scripts/start.ts'),
      ...buildFlags,
      '--port',
      String(port),
      '--persist-to',
      persistTo,
    ],
    { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const server: StartedServer = {
    origin,
    port,
    output: () => log,
    stop: () => stopGroup(child, exited),
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    if (existsSync(join(persistTo, SERVER_FILE))) {
      const up = await fetch(`${origin}/healthz`).then(
        async (response) => {
          await response.arrayBuffer();
          return response.ok;
        },
        () => false,
      );
      if (up) return server;
    }
    await delay(250);
  }
  await server.stop();
  throw new Error(`npm start did not come up on ${origin}:\n${log}`);
}

async function stopGroup(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const signal = (name: NodeJS.Signals) => {
    try {
      if (child.pid !== undefined) process.kill(-child.pid, name);
    } catch {
      // The group is gone already.
    }
  };
  signal('SIGTERM');
  const stopped = await Promise.race([exited.then(() => true), delay(15_000, false)]);
  // workerd can outlive wrangler by a moment; the group's leftovers go too.
  signal(stopped ? 'SIGTERM' : 'SIGKILL');
  if (!stopped) await exited;
}

/** Runs `node scripts/<script> <args>` (deploy.ts, rollback.ts) to its end; never rejects. */
export async function runScript(
  script: string,
  args: readonly string[],
  timeoutMs = 120_000,
): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'scripts', script), ...args],
      { cwd: ROOT, timeout: timeoutMs },
      (error, stdout, stderr) => {
        const endedAt = performance.timeOrigin + performance.now();
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, output: `${stdout}${stderr}`, endedAt });
      },
    );
  });
}
