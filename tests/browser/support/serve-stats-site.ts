// The fixture site served by the real `npm start` (scripts/start.ts: the build, the
// publish into a fresh local store, the D1 migrations, wrangler dev) with STATS_TOKEN in
// its environment, on PREFERRED_PORT when it is free (the committed screenshots show its
// URLs), else on any free port. Once it serves, the D1 database it migrated may be given
// history (SQL run with wrangler's own `d1 execute --local --persist-to`, on the same store)
// before a test reads anything.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSubscriptionPath } from '../../../src/core/document-paths.ts';
import { portPreferring } from '../../support/free-port.ts';
import { launchNpmStart, type NpmStart } from '../../support/npm-start.ts';
import { runGroup } from '../../support/process-group.ts';
import { readStoredBuild } from '../../support/stored-build.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const WRANGLER = join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
const CONFIG = join(ROOT, 'wrangler.toml');
/** For the build, migrations and wrangler dev to answer /healthz, together. */
const START_TIMEOUT_MS = 150_000;
const WRANGLER_TIMEOUT_MS = 60_000;
/** Tried first, so the URLs on the pages and in docs/screenshots stay the same. */
const PREFERRED_PORT = 8797;

export type StatsSite = {
  /** `http://127.0.0.1:PORT`, where npm start serves. */
  origin: string;
  /** The bearer token /stats and /stats.json take (STATS_TOKEN). */
  token: string;
  /** Every subscription document of the build npm start made. */
  feeds: string[];
  /** The build npm start made (X-Build-Id). */
  buildId: string;
  /** A text document's bytes as that build stored them, by path. */
  bodyOf: (path: string) => string;
  /** What npm start and wrangler printed so far. */
  log: () => string;
};

export type StatsSiteHandle = {
  /** Starts the site; `historySql` runs against its D1 database first. */
  start: (historySql?: string) => Promise<StatsSite>;
  /** The started site; throws if start has not finished. */
  site: () => StatsSite;
  /**
   * Stops everything start started (npm start's process group: wrangler and workerd too)
   * and removes the folder. Safe at any time, also while `start` is still under way (a
   * timed-out beforeAll): whatever start does afterwards is stopped as it begins.
   */
  stop: () => Promise<void>;
};

/** A site to start in beforeAll and stop in afterAll (whatever happened in between). */
export function statsSiteHandle(): StatsSiteHandle {
  let stopped = false;
  let dir: string | undefined;
  let server: NpmStart | undefined;
  let started: StatsSite | undefined;

  const start = async (historySql?: string): Promise<StatsSite> => {
    const made = await mkdtemp(join(tmpdir(), 'edgefeed-stats-'));
    if (stopped) {
      await rm(made, { recursive: true, force: true });
      throw new Error('stopped before npm start');
    }
    dir = made;
    const persistTo = join(dir, 'state');
    const outDir = join(dir, 'out');
    const token = randomBytes(18).toString('base64url');
    const port = await portPreferring(PREFERRED_PORT);
    // No await between this check and `server` being set: stop() sees it or start stops.
    if (stopped) throw new Error('stopped before npm start');
    server = launchNpmStart({
      buildArgs: [
        ...['--seeds', join(ROOT, 'tests/fixtures/site'), '--out', outDir],
        ...['--cache-dir', join(dir, 'cache'), '--site-url', `http://127.0.0.1:${port}`],
        ...['--taxonomy', join(ROOT, 'tests/browser/fixtures/taxonomy'), '--quiet'],
      ],
      port,
      persistTo,
      env: { STATS_TOKEN: token },
    });
    await server.ready(START_TIMEOUT_MS);
    // The history goes into the database npm start migrated and serves, before anything
    // reads it: wrangler's own `d1 execute --local` on the same store, beside wrangler dev.
    if (historySql !== undefined) {
      const file = join(dir, 'history.sql');
      await writeFile(file, historySql);
      await wrangler(['d1', 'execute', 'DB', '--local', '--yes', '--file', file]);
    }
    const build = readStoredBuild(outDir);
    started = {
      origin: server.origin,
      token,
      feeds: build.paths.filter(isSubscriptionPath).sort(),
      buildId: build.buildId,
      bodyOf: build.text,
      log: server.log,
    };
    return started;

    async function wrangler(args: string[]): Promise<void> {
      if (stopped) throw new Error(`stopped before wrangler ${args.join(' ')}`);
      const all = [WRANGLER, ...args, '--persist-to', persistTo, '--config', CONFIG];
      const { code, output } = await runGroup(all, WRANGLER_TIMEOUT_MS);
      if (code !== 0) throw new Error(`wrangler ${args.join(' ')} failed (${code}):\n${output}`);
    }
  };

  return {
    start,
    site: () => {
      if (started === undefined) throw new Error('npm start did not start');
      return started;
    },
    stop: async () => {
      stopped = true;
      try {
        await server?.stop();
      } finally {
        if (dir !== undefined) await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
