// The user's local commands as child processes of a test: `npm start` (scripts/start.ts:
// build, publish into the local store, D1 migrations, wrangler dev) in a process group of
// its own, on a port and store of its own; and `npm run deploy -- --local` or
// `npm run rollback -- --local` against it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SERVER_FILE } from '../../src/publish/local-server-file.ts';
import { freePort } from './free-port.ts';
import { type GroupProcess, spawnGroup } from './process-group.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const START = join(ROOT, 'scripts/start.ts');
/** For the build, the migrations and wrangler dev to answer /healthz, together. */
const START_TIMEOUT_MS = 150_000;

export type NpmStartOptions = {
  /** Build flags, as `npm start -- …` takes them (--seeds, --out, --cache-dir, …). */
  buildArgs: readonly string[];
  port: number;
  /** The local store's folder (`--persist-to`). */
  persistTo: string;
  /** Added to the environment, e.g. STATS_TOKEN. */
  env?: NodeJS.ProcessEnv;
};

export type NpmStart = {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  /** What npm start, wrangler and workerd printed (the last 20,000 characters). */
  log: () => string;
  /** Resolves once its server file is written and /healthz answers 200; throws otherwise. */
  ready: (timeoutMs: number) => Promise<void>;
  /** Ends npm start, wrangler and workerd; throws if any of them still runs afterwards. */
  stop: () => Promise<void>;
};

export type ScriptResult = {
  code: number;
  output: string;
  /** performance.timeOrigin + performance.now() when the process had exited, in ms. */
  endedAt: number;
};

/** Starts `npm start -- BUILD_ARGS --port PORT --persist-to DIR`; see `ready`. */
export function launchNpmStart(options: NpmStartOptions): NpmStart {
  const origin = `http://127.0.0.1:${options.port}`;
  const group: GroupProcess = spawnGroup(
    [
      START,
      ...options.buildArgs,
      ...['--port', String(options.port), '--persist-to', options.persistTo],
    ],
    options.env,
  );
  const ready = async (timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { exitCode, signalCode } = group.child;
      if (exitCode !== null || signalCode !== null) {
        throw new Error(`npm start exited (${exitCode ?? signalCode}):\n${group.log()}`);
      }
      if (existsSync(join(options.persistTo, SERVER_FILE))) {
        if ((await healthzStatus(origin)) === 200) return;
      }
      await delay(250);
    }
    throw new Error(
      `npm start did not answer ${origin}/healthz in ${timeoutMs} ms:\n${group.log()}`,
    );
  };
  return { origin, port: options.port, log: group.log, ready, stop: group.stop };
}

/**
 * `/healthz`'s status, or 0 while the server cannot answer it. The timeout covers reading the
 * body too, so a slow body under load (it happens when two suites start servers at once) is
 * one more try, not an error escaping the poll.
 */
async function healthzStatus(origin: string): Promise<number> {
  try {
    const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 0;
  }
}

/**
 * `npm start -- BUILD_ARGS` on a free port with its store in `persistTo`, resolved once it
 * serves; when it does not come up, it is stopped and the error carries its output.
 */
export async function startNpmStart(
  buildArgs: readonly string[],
  persistTo: string,
  env?: NodeJS.ProcessEnv,
): Promise<NpmStart> {
  const server = launchNpmStart({ buildArgs, port: await freePort(), persistTo, env });
  try {
    await server.ready(START_TIMEOUT_MS);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** Runs `node scripts/<script> <args>` (deploy.ts, rollback.ts) to its end; never rejects. */
export async function runScript(
  script: string,
  args: readonly string[],
  timeoutMs = 120_000,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ScriptResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'scripts', script), ...args],
      { cwd: ROOT, timeout: timeoutMs, env },
      (error, stdout, stderr) => {
        const endedAt = performance.timeOrigin + performance.now();
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, output: `${stdout}${stderr}`, endedAt });
      },
    );
  });
}
