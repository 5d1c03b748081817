// The fixture site under a real `wrangler dev` with reader statistics on: built with the
// real build, its build values and pointer in a fresh persisted store, the D1 migrations applied with
// wrangler's own command, and STATS_TOKEN passed with --var, as `npm start` will.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getPlatformProxy } from 'wrangler';
import {
  applyLocalD1Migrations,
  startWranglerDev,
  stopWranglerDev,
  waitForHealthy,
} from '../../../bench/wrangler-dev.ts';
import { compileBuild } from '../../../src/compile/compile-build.ts';
import type { BuildPointer } from '../../../src/core/build-record.ts';
import { isSubscriptionPath } from '../../../src/core/document-paths.ts';
import { POINTER_KEY } from '../../../src/core/store-keys.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CONFIG = join(ROOT, 'wrangler.toml');

export type StatsSite = {
  /** `http://127.0.0.1:PORT`, where the server listens. */
  origin: string;
  /** The bearer token /stats and /stats.json take. */
  token: string;
  /** Every subscription document of the build. */
  feeds: string[];
  /** Stops wrangler and workerd (their process group, by PID) and removes the store. */
  stop: () => Promise<void>;
};

type D1 = {
  batch: (statements: unknown[]) => Promise<unknown>;
  prepare: (sql: string) => { bind: (...values: unknown[]) => unknown };
};

/**
 * Starts the site; `seed` may write to its D1 database before the server starts (history
 * for the screenshot). Bounded: wrangler has 60 s to answer /healthz.
 */
export async function serveStatsSite(seed?: (db: D1) => Promise<void>): Promise<StatsSite> {
  const dir = await mkdtemp(join(tmpdir(), 'edgefeed-stats-'));
  const persistTo = join(dir, 'state');
  const token = randomBytes(18).toString('base64url');
  const { build, report } = await compileBuild({
    seedsDir: join(ROOT, 'tests/fixtures/site'),
    outDir: join(dir, 'dist'),
    // The default site URL: the server's port is only known once it starts, and nothing
    // here follows the feeds' links.
    siteUrl: 'http://127.0.0.1:8787',
    taxonomyDir: join(ROOT, 'tests/browser/fixtures/taxonomy'),
    pageSize: 50,
    skipInvalid: false,
    configPath: join(ROOT, 'edgefeed.config.json'),
    quiet: true,
  });
  if (report.problems.length > 0) {
    throw new Error(`tests/fixtures/site does not build:\n${report.problems.join('\n')}`);
  }
  await applyLocalD1Migrations(ROOT, persistTo, CONFIG);
  // `wrangler dev --persist-to X` keeps its stores under X/v3.
  const proxy = await getPlatformProxy<{ FEEDS: KvLike; DB: D1 }>({
    configPath: CONFIG,
    persist: { path: join(persistTo, 'v3') },
  });
  try {
    for (const [key, value] of build.values) await proxy.env.FEEDS.put(key, value);
    const pointer: BuildPointer = {
      version: 1,
      current: build.record.buildId,
      builds: [{ ...build.record, switchedAt: '2026-01-01T00:00:00.000Z' }],
    };
    await proxy.env.FEEDS.put(POINTER_KEY, JSON.stringify(pointer));
    await seed?.(proxy.env.DB);
  } finally {
    await proxy.dispose();
  }

  const server = await startWranglerDev(ROOT, persistTo, CONFIG, ['--var', `STATS_TOKEN:${token}`]);
  const stop = async () => {
    await stopWranglerDev(server);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForHealthy(server, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  const feeds = [...build.manifest.keys()].filter(isSubscriptionPath).sort();
  return { origin: server.origin, token, feeds, stop };
}

type KvLike = { put: (key: string, value: string) => Promise<void> };
