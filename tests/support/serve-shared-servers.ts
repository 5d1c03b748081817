// Root globalSetup (vitest.config.ts): servers that test files of any project share, one of
// each per `npm test`, started by the first file that asks and stopped when the run ends.
// Test files reach them through tests/support/shared-servers.ts. What runs here is a small
// HTTP service on 127.0.0.1 in vitest's own process; it costs nothing until asked.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import type { TestProject } from 'vitest/node';
import { freePort } from './free-port.ts';
import { launchNpmStart, type NpmStart } from './npm-start.ts';
import type { SharedNpmStart } from './provided-context.ts';

/** The build, the migrations and wrangler dev answering /healthz, on a busy 2-core machine. */
const START_TIMEOUT_MS = 150_000;

type Started = { server: NpmStart; shared: SharedNpmStart; dir: string };

export default async function serveSharedServers(project: TestProject) {
  let npmStart: Promise<Started> | undefined;
  let stopping = false;

  /**
   * `npm start -- --port N --persist-to DIR` on the repository's own seeds/, once, as a user
   * types it: no STATS_TOKEN (it makes one and prints it), wrangler's own log level.
   */
  const startNpmStart = async (): Promise<Started> => {
    const dir = await mkdtemp(join(tmpdir(), 'edgefeed-shared-start-'));
    const port = await freePort();
    // Only what keeps the run out of the repository (dist/, .cache/, .wrangler/state) is
    // given: the rest is what a user typing `npm start` gets, output included.
    const persistTo = join(dir, 'state');
    const outDir = join(dir, 'out');
    const server = launchNpmStart({
      buildArgs: ['--out', outDir, '--cache-dir', join(dir, 'cache')],
      port,
      persistTo,
      env: { STATS_TOKEN: undefined, WRANGLER_LOG: undefined },
    });
    try {
      await server.ready(START_TIMEOUT_MS);
      // The token is the one its notice prints, as a user finds it.
      const statsToken = await noticedStatsToken(server);
      return {
        server,
        dir,
        shared: { origin: server.origin, port, persistTo, outDir, statsToken },
      };
    } catch (error) {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (stopping) return answer(response, 503, 'the run is ending');
    if (path === '/npm-start' && request.method === 'POST') {
      npmStart ??= startNpmStart();
      try {
        return answer(response, 200, JSON.stringify((await npmStart).shared));
      } catch (error) {
        return answer(response, 500, error instanceof Error ? error.message : String(error));
      }
    }
    if (path === '/npm-start/log' && request.method === 'GET') {
      if (npmStart === undefined) return answer(response, 404, 'npm start was not started');
      return answer(response, 200, (await npmStart).server.log());
    }
    return answer(response, 404, `no ${request.method} ${path}`);
  };

  const control = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => answer(response, 500, String(error)));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => control.listen(port, '127.0.0.1', resolve));
  project.provide('sharedServers', `http://127.0.0.1:${port}`);

  return async () => {
    stopping = true;
    control.closeAllConnections();
    await new Promise((resolve) => control.close(resolve));
    const started = await npmStart?.catch(() => undefined);
    if (started) {
      await started.server.stop();
      await rm(started.dir, { recursive: true, force: true });
    }
  };
}

/** The STATS_TOKEN in npm start's notice (`curl -H 'Authorization: Bearer TOKEN' …/stats`). */
async function noticedStatsToken(server: NpmStart): Promise<string> {
  // /healthz answers a moment before npm start has printed its notice.
  for (let tries = 0; tries < 100; tries++) {
    const token = /Authorization: Bearer ([^']+)'/.exec(server.log())?.[1];
    if (token !== undefined) return token;
    await delay(100);
  }
  throw new Error(`npm start printed no /stats token:\n${server.log()}`);
}

function answer(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(body);
}
