// Builds to publish and a stand-in to publish them to, for tests/publish.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSite } from '../../src/compile/build-site.ts';
import type { BuildOptions } from '../../src/compile/parse-build-args.ts';
import { openStoredBuild } from '../../src/compile/store/open-stored-build.ts';
import type { BuildRecord } from '../../src/core/build-record.ts';
import { shardReaderFor, shardsReaderFor } from '../../src/publish/build-keys.ts';
import { createCloudflareClient } from '../../src/publish/cloudflare-client.ts';
import { createCloudflareKvTarget } from '../../src/publish/cloudflare-kv-target.ts';
import type { KvTarget } from '../../src/publish/kv-target.ts';
import { type PublishOptions, publishBuild } from '../../src/publish/publish-build.ts';
import { buildOptions } from './build-options.ts';
import { type StandIn, startStandIn } from './cloudflare-api/stand-in.ts';
import { seedText, writeSeedFolder } from './seed-folder.ts';
import { readStoredBuild } from './stored-build.ts';

export const ACCOUNT = '0123456789abcdef0123456789abcdef';
export const TOKEN = 'stand-in-token-0123456789';
/** The namespace the stand-in accounts of these tests start with (wrangler.toml holds no id). */
export const NAMESPACE = '00000000000000000000000000000000';

export type Document = { type: string; lastModified: number; body: string };
export type BuiltSite = {
  outDir: string;
  buildId: string;
  record: BuildRecord;
  documents: Map<string, Document>;
};

/** Seeds of a small site, and the same site after one edited and one added article. */
export const SITE_A = {
  'a.md': seedText({ title: 'First', url: 'https://example.com/1', date: '2024-01-01T10:00:00Z' }),
  'b.md': seedText({
    title: 'Second',
    url: 'https://example.com/2',
    date: '2024-01-02T10:00:00Z',
    topics: ['Cloud'],
  }),
  'c.md': seedText({
    title: 'Third',
    url: 'https://other.example/3',
    domain: 'other.example',
    date: '2024-01-03T10:00:00Z',
  }),
};
export const SITE_B = {
  ...SITE_A,
  'b.md': seedText({
    title: 'Second, edited',
    url: 'https://example.com/2',
    date: '2024-01-02T10:00:00Z',
    topics: ['Cloud'],
  }),
  'd.md': seedText({ title: 'Fourth', url: 'https://example.com/4', date: '2024-01-04T10:00:00Z' }),
};

/** Builds `seeds` into a new out folder with the store in `cacheDir`; returns what it serves. */
export async function buildSeeds(
  seeds: Record<string, string>,
  cacheDir: string,
  siteUrl = 'https://feeds.example.org',
): Promise<BuiltSite> {
  return buildFolder(await writeSeedFolder(seeds), cacheDir, { siteUrl });
}

/** Builds a seed folder into a new out folder with the store in `cacheDir`. */
export async function buildFolder(
  seedsDir: string,
  cacheDir: string,
  overrides: Partial<BuildOptions> = {},
): Promise<BuiltSite> {
  const outDir = await tempDir('out');
  const options = buildOptions(seedsDir, {
    outDir,
    cacheDir,
    siteUrl: 'https://feeds.example.org',
    ...overrides,
  });
  const built = await buildSite(options);
  if (!built.ok)
    throw new Error(`fixture seeds did not build: ${built.report.problems.join('; ')}`);
  const { record } = openStoredBuild(options.outDir, { partial: options.changedOnly ?? false });
  const documents = new Map<string, Document>();
  // A --changed-only build's store lacks the unchanged bodies: it has no documents to show.
  if (options.changedOnly)
    return { outDir: options.outDir, buildId: record.buildId, record, documents };
  const stored = readStoredBuild(options.outDir);
  for (const path of stored.paths) {
    const [, lastModified, type] = stored.entry(path);
    documents.set(path, { type, lastModified, body: stored.text(path) });
  }
  return { outDir: options.outDir, buildId: stored.buildId, record, documents };
}

export async function tempDir(name: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `edgefeed-${name}-`));
}

export function startAccount(): Promise<StandIn> {
  return startStandIn({ accountId: ACCOUNT, token: TOKEN, namespaces: [NAMESPACE] });
}

/** A REST target on the stand-in whose waits are recorded, not slept. */
export function standInTarget(
  standIn: StandIn,
  waits: number[] = [],
  namespaceId = NAMESPACE,
): KvTarget {
  const client = createCloudflareClient({
    baseUrl: standIn.baseUrl,
    token: TOKEN,
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return createCloudflareKvTarget({ client, accountId: ACCOUNT, namespaceId });
}

/** Publishes the build in `outDir` to `target` in this process, as `npm run deploy` does. */
export async function deployBuild(
  target: KvTarget,
  outDir: string,
  options: Partial<PublishOptions> & { waits?: number[]; lines?: string[]; partial?: boolean } = {},
) {
  const source = openStoredBuild(outDir, { partial: options.partial ?? false });
  return publishBuild({
    target,
    source,
    readShard: shardReaderFor(source.store, target),
    readShards: shardsReaderFor(source.store, target),
    sleep: async (ms) => {
      options.waits?.push(ms);
    },
    log: (line) => options.lines?.push(line),
    verifyWaitsMs: [10, 20],
    ...options,
  });
}

/** The environment a deploy child process needs to reach the stand-in. */
export function standInEnv(standIn: StandIn): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CLOUDFLARE_API_BASE_URL: standIn.baseUrl,
    CLOUDFLARE_API_TOKEN: TOKEN,
    CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
    WRANGLER_SEND_METRICS: 'false',
    EDGEFEED_DEPLOY_TOKEN: '',
  };
}

/** A test file's stand-in account, and the fixture sites A and B built into one cache. */
export async function startWithSites(
  name: string,
): Promise<{ standIn: StandIn; a: BuiltSite; b: BuiltSite }> {
  const standIn = await startAccount();
  const cache = await tempDir(`${name}-cache`);
  const a = await buildSeeds(SITE_A, cache);
  const b = await buildSeeds(SITE_B, cache);
  return { standIn, a, b };
}

/** Every path either site serves: what a crawl looks at to see one build whole. */
export function pathsOf(...sites: BuiltSite[]): Set<string> {
  return new Set(sites.flatMap((site) => [...site.documents.keys()]));
}
