// The stand-in is only worth what it agrees with: these drive wrangler's own `kv` commands
// (its REST client, with CLOUDFLARE_API_BASE_URL pointing at the stand-in) against it.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../support/cloudflare-api/stand-in.ts';
import { crawlNamespace, expectedAnswers } from '../support/crawl-namespace.ts';
import {
  ACCOUNT,
  buildSeeds,
  NAMESPACE,
  SITE_A,
  standInEnv,
  startAccount,
  tempDir,
} from '../support/publish-fixtures.ts';

const WRANGLER = join(import.meta.dirname, '../../node_modules/wrangler/bin/wrangler.js');

let standIn: StandIn;
let dir: string;

beforeAll(async () => {
  standIn = await startAccount();
  dir = await tempDir('wrangler-kv');
});
afterAll(() => standIn.close());

/** Runs `wrangler kv …` against the stand-in, in a folder without a wrangler config. */
async function wrangler(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [WRANGLER, 'kv', ...args, '--namespace-id', NAMESPACE, '--remote'],
    { cwd: dir, env: standInEnv(standIn), timeout: 60_000 },
  );
  return stdout;
}

const values = () => standIn.namespace(NAMESPACE).values;
const read = (key: string) => values().get(key)?.value;

describe('wrangler kv commands against the Cloudflare API stand-in', { timeout: 60_000 }, () => {
  // One wrangler process costs ~2 core-seconds (its 15 MB bundle loaded twice over, by its
  // bin and its CLI), so each endpoint is driven once, its variants together.
  it('puts, gets and lists a key with metadata, following list cursors past 1,000 keys', async () => {
    for (let i = 0; i < 1500; i++)
      values().set(`many:${String(i).padStart(4, '0')}`, { value: Buffer.from('x') });
    await wrangler('key', 'put', 'many:greeting', 'héllo', '--metadata', '{"lang":"fr"}');
    expect(values().get('many:greeting')).toEqual({
      value: Buffer.from('héllo'),
      metadata: { lang: 'fr' },
    });
    expect((await wrangler('key', 'get', 'many:greeting', '--text')).trim()).toBe('héllo');
    values().set('other:1', { value: Buffer.from('not listed') });
    const listed: { name: string; metadata?: unknown }[] = JSON.parse(
      await wrangler('key', 'list', '--prefix', 'many:'),
    );
    expect(listed).toHaveLength(1501);
    expect(listed.at(-2)).toEqual({ name: 'many:1499' });
    expect(listed.at(-1)).toEqual({ name: 'many:greeting', metadata: { lang: 'fr' } });
  });

  // Bulk put, text and base64 values, is driven by "loading a build by hand" below.
  it('bulk deletes keys, and bulk gets text values, a missing key as null', async () => {
    values().set('bulk:1', { value: Buffer.from('one') });
    values().set('bulk:2', { value: Buffer.from([0, 255, 1]) });
    const file = join(dir, 'bulk.json');
    await writeFile(file, JSON.stringify(['bulk:1', 'bulk:2']));
    await wrangler('bulk', 'delete', file, '--force');
    expect(values().has('bulk:1')).toBe(false);
    expect(values().has('bulk:2')).toBe(false);

    values().set('get:1', { value: Buffer.from('één') });
    values().set('get:2', { value: Buffer.from('{"n":2}') });
    await writeFile(file, JSON.stringify(['get:1', 'get:2', 'get:absent']));
    expect(JSON.parse(await wrangler('bulk', 'get', file))).toEqual({
      'get:1': 'één',
      'get:2': '{"n":2}',
      'get:absent': null,
    });
  });

  it('made no call the stand-in does not implement (no login, no other API)', () => {
    expect(standIn.unknown).toEqual([]);
    expect(standIn.requests.every((request) => request.status !== 501)).toBe(true);
  });

  it('answers 501 to a route it does not implement, and logs it', async () => {
    const response = await fetch(`${standIn.baseUrl}/accounts/${ACCOUNT}/r2/buckets`, {
      headers: { Authorization: `Bearer ${standInEnv(standIn).CLOUDFLARE_API_TOKEN}` },
    });
    expect(response.status).toBe(501);
    expect(await response.json()).toMatchObject({ success: false });
    expect(standIn.unknown).toEqual([`GET /accounts/${ACCOUNT}/r2/buckets`]);
  });
});

describe('loading a build by hand with wrangler', { timeout: 120_000 }, () => {
  it('serves the build after wrangler kv bulk put of --write-bulk files and the pointer last', async () => {
    values().clear();
    const cache = await tempDir('bulk-cache');
    const site = await buildSeeds(SITE_A, cache);
    const bulk = join(dir, 'bulk');
    const written = await promisify(execFile)(process.execPath, [
      join(import.meta.dirname, '../../scripts/deploy.ts'),
      ...['--no-build', '--out', site.outDir, '--write-bulk', bulk],
    ]);
    expect(written.stdout).toContain(`build ${site.buildId} written for loading by hand`);
    // What the stand-in is checked on: wrangler's bulk put of text and of base64 values.
    const pairs: { base64?: boolean }[] = JSON.parse(
      await readFile(join(bulk, 'values-001.json'), 'utf8'),
    );
    expect(pairs.some((pair) => pair.base64 === true)).toBe(true);
    expect(pairs.some((pair) => pair.base64 === undefined)).toBe(true);
    await wrangler('bulk', 'put', join(bulk, 'values-001.json'));
    expect(crawlNamespace(read, site.documents.keys()).buildId).toBeNull();
    await wrangler('key', 'put', 'meta:current', '--path', join(bulk, 'pointer.json'));
    const crawl = crawlNamespace(read, site.documents.keys());
    expect(crawl.buildId).toBe(site.buildId);
    expect(crawl.answers).toEqual(expectedAnswers(site.documents, site.documents.keys()));
  });
});
