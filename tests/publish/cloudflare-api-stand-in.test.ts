// The stand-in is only worth what it agrees with: these drive wrangler's own `kv` commands
// (its REST client, with CLOUDFLARE_API_BASE_URL pointing at the stand-in) against it.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
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
  it('puts, gets and lists a key with metadata', async () => {
    await wrangler('key', 'put', 'greeting', 'héllo', '--metadata', '{"lang":"fr"}');
    expect(values().get('greeting')).toEqual({
      value: Buffer.from('héllo'),
      metadata: { lang: 'fr' },
    });
    expect((await wrangler('key', 'get', 'greeting', '--text')).trim()).toBe('héllo');
    const listed = JSON.parse(await wrangler('key', 'list', '--prefix', 'gree'));
    expect(listed).toEqual([{ name: 'greeting', metadata: { lang: 'fr' } }]);
  });

  it('bulk puts text and base64 values, then bulk deletes them', async () => {
    const file = join(dir, 'bulk.json');
    await writeFile(
      file,
      JSON.stringify([
        { key: 'bulk:1', value: 'one' },
        { key: 'bulk:2', value: Buffer.from([0, 255, 1]).toString('base64'), base64: true },
      ]),
    );
    await wrangler('bulk', 'put', file);
    expect(values().get('bulk:1')?.value).toEqual(Buffer.from('one'));
    expect(values().get('bulk:2')?.value).toEqual(Buffer.from([0, 255, 1]));
    await writeFile(file, JSON.stringify(['bulk:1', 'bulk:2']));
    await wrangler('bulk', 'delete', file, '--force');
    expect(values().has('bulk:1')).toBe(false);
    expect(values().has('bulk:2')).toBe(false);
  });

  it('bulk gets text values, a missing key as null', async () => {
    values().set('get:1', { value: Buffer.from('één') });
    values().set('get:2', { value: Buffer.from('{"n":2}') });
    const file = join(dir, 'get.json');
    await writeFile(file, JSON.stringify(['get:1', 'get:2', 'get:absent']));
    expect(JSON.parse(await wrangler('bulk', 'get', file))).toEqual({
      'get:1': 'één',
      'get:2': '{"n":2}',
      'get:absent': null,
    });
  });

  it('follows list cursors past 1,000 keys', async () => {
    for (let i = 0; i < 1500; i++)
      values().set(`many:${String(i).padStart(4, '0')}`, { value: Buffer.from('x') });
    const listed: { name: string }[] = JSON.parse(
      await wrangler('key', 'list', '--prefix', 'many:'),
    );
    expect(listed).toHaveLength(1500);
    expect(listed.at(-1)?.name).toBe('many:1499');
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
    await wrangler('bulk', 'put', join(bulk, 'values-001.json'));
    expect(crawlNamespace(read, site.documents.keys()).buildId).toBeNull();
    await wrangler('key', 'put', 'meta:current', '--path', join(bulk, 'pointer.json'));
    const crawl = crawlNamespace(read, site.documents.keys());
    expect(crawl.buildId).toBe(site.buildId);
    expect(crawl.answers).toEqual(expectedAnswers(site.documents, site.documents.keys()));
  });
});
