// `npm start` (scripts/start.ts: build, publish into the local store, wrangler dev) as a
// child process of a test, in a process group of its own, on a port and store of its own.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { SERVER_FILE } from '../../src/publish/local-server-file.ts';
import { type GroupProcess, spawnGroup } from './process-group.ts';

const START = fileURLToPath(new URL('../../scripts/start.ts', import.meta.url));

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
  /** What npm start and wrangler printed (the last 20,000 characters). */
  log: () => string;
  /** Resolves once its server file is written and /healthz answers 200; throws otherwise. */
  ready: (timeoutMs: number) => Promise<void>;
  /** Ends npm start, wrangler and workerd; throws if any of them still runs afterwards. */
  stop: () => Promise<void>;
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
        const status = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) }).then(
          async (response) => {
            await response.arrayBuffer();
            return response.status;
          },
          () => 0,
        );
        if (status === 200) return;
      }
      await delay(250);
    }
    throw new Error(
      `npm start did not answer ${origin}/healthz in ${timeoutMs} ms:\n${group.log()}`,
    );
  };
  return { origin, log: group.log, ready, stop: group.stop };
}
