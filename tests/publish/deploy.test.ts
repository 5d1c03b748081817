import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoredBuild } from '../../src/compile/store/open-stored-build.ts';
import { BuildPointerSchema } from '../../src/core/build-record.ts';
import { GRACE_SECONDS } from '../../src/core/kept-builds.ts';
import { POINTER_KEY } from '../../src/core/store-keys.ts';
import { keysOfBuild } from '../../src/publish/build-keys.ts';
import { rollbackBuild } from '../../src/publish/rollback-build.ts';
import type { StandIn } from '../support/cloudflare-api/stand-in.ts';
import { crawlNamespace, expectedAnswers, expectServing } from '../support/crawl-namespace.ts';
import {
  type BuiltSite,
  buildFolder,
  buildSeeds,
  deployBuild,
  NAMESPACE,
  pathsOf,
  SITE_A,
  SITE_B,
  standInTarget,
  startWithSites,
  tempDir,
} from '../support/publish-fixtures.ts';
import { haveShared, SHARED } from '../support/seed-corpora.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';

let standIn: StandIn;
let a: BuiltSite;
let b: BuiltSite;

beforeAll(async () => {
  ({ standIn, a, b } = await startWithSites('deploy'));
});
afterAll(() => standIn.close());

const values = () => standIn.namespace(NAMESPACE).values;
const read = (key: string) => values().get(key)?.value;
/** What a reader sees now, checked to be exactly `site`'s answers for every path of A and B. */
const expectServed = (site: BuiltSite) => expectServing(read, pathsOf(a, b), site);

describe('deploy and rollback against the Cloudflare API stand-in', () => {
  it('deploys A, then B, and a rollback serves A again byte for byte', async () => {
    values().clear();
    const target = standInTarget(standIn);
    await deployBuild(target, a.outDir);
    expectServed(a);
    const toB = await deployBuild(target, b.outDir);
    expect(toB).toMatchObject({ previous: a.buildId, switched: true });
    expectServed(b);
    const back = await rollbackBuild({
      target,
      readShard: (key) => target.get(key),
      log: () => {},
    });
    expect(back).toMatchObject({ from: b.buildId, to: a.buildId, switched: true });
    expectServed(a);
  });

  it('uploads only the values the namespace lacks', async () => {
    values().clear();
    const target = standInTarget(standIn);
    await deployBuild(target, a.outDir);
    const before = new Set(values().keys());
    const firstRequest = standIn.requests.length;
    const summary = await deployBuild(target, b.outDir);
    const bulkBodies = standIn.requests
      .slice(firstRequest)
      .filter((request) => request.method === 'PUT' && request.path.endsWith('/bulk'));
    expect(bulkBodies).toHaveLength(1);
    const named = [...(await keysOfBuild(b.record, async (k) => read(k) ?? null)).keys];
    const fresh = named.filter((key) => !before.has(key));
    expect(summary.uploaded.values).toBe(fresh.length);
    expect(summary.alreadyThere).toBe(named.length - fresh.length);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.length).toBeLessThan(named.length);
  });

  it('knows what the namespace holds from the kept builds: lists no values, reads back what it uploaded', async () => {
    values().clear();
    const target = standInTarget(standIn);
    await deployBuild(target, a.outDir);
    const before = new Set(values().keys());
    const first = standIn.requests.length;
    const summary = await deployBuild(target, b.outDir);
    const requests = standIn.requests.slice(first);
    // Two one-page lists remain: doc: and meta:, the one-key-per-path layout's leftovers.
    expect(requests.filter((r) => r.path.endsWith('/keys'))).toHaveLength(2);
    const fresh = [...openStoredBuild(b.outDir).keys()].filter((key) => !before.has(key));
    // One bulk/get reads the served build's shards (B's out folder does not hold A's), the
    // rest read back what was uploaded, 100 keys a request.
    const reads = requests.filter((r) => r.path.endsWith('/bulk/get'));
    expect(reads).toHaveLength(1 + Math.ceil(fresh.length / 100));
    expect(summary.uploaded.values).toBe(fresh.length);
    expect(requests.length).toBeLessThanOrEqual(10);
    expectServed(b);
  });

  it('with verifyAll, puts back a value deleted behind its back and deletes what nobody names', async () => {
    values().clear();
    const target = standInTarget(standIn);
    await deployBuild(target, a.outDir);
    const namedByA = new Set((await keysOfBuild(a.record, async (k) => read(k) ?? null)).keys);
    const shared = [...openStoredBuild(b.outDir).keys()].find(
      (key) => key.startsWith('c:') && namedByA.has(key),
    );
    expect(shared).toBeDefined();
    values().delete(shared ?? '');
    values().set(`c:${'Z'.repeat(27)}`, { value: Buffer.from('stray') });
    const lines: string[] = [];
    const summary = await deployBuild(target, b.outDir, { verifyAll: true, lines });
    expect(summary.audit).toMatchObject({ missing: 1, stray: 1 });
    expect(lines.join('\n')).toMatch(/audit: \d+ keys listed; 1 named by kept builds are missing/);
    expect(values().has(shared ?? '')).toBe(true);
    expect(values().has(`c:${'Z'.repeat(27)}`)).toBe(false);
    expectServed(b);
  });

  it('deploys from a cache folder restored alone: stores and uploads only what changed', async () => {
    values().clear();
    const seeds = await writeSeedFolder(SITE_A);
    const cache = await tempDir('ci-cache');
    const first = await buildFolder(seeds, cache);
    const target = standInTarget(standIn);
    await deployBuild(target, first.outDir);
    const before = new Set(values().keys());
    for (const [name, text] of Object.entries(SITE_B)) await writeFile(join(seeds, name), text);
    // A new CI run: the cache folder kept, a new empty out folder.
    const next = await buildFolder(seeds, cache, { changedOnly: true });
    expect(next.buildId).toBe(b.buildId);
    const source = openStoredBuild(next.outDir, { partial: true });
    const fresh = [...source.keys()].filter((key) => !before.has(key));
    expect(
      [...source.keys()].filter((key) => source.holds?.(key) === false).length,
    ).toBeGreaterThan(0);
    const summary = await deployBuild(target, next.outDir, { partial: true });
    expect(summary.uploaded.values).toBe(fresh.length);
    expectServed(b);
  });

  it('renders what the namespace lost before switching to a build naming it, or refuses', async () => {
    values().clear();
    const seeds = await writeSeedFolder(SITE_A);
    const cache = await tempDir('lost-cache');
    const target = standInTarget(standIn);
    await deployBuild(target, (await buildFolder(seeds, cache)).outDir);
    for (const [name, text] of Object.entries(SITE_B)) await writeFile(join(seeds, name), text);
    const next = await buildFolder(seeds, cache, { changedOnly: true });
    const source = openStoredBuild(next.outDir, { partial: true });
    // The served build's shard, lost: what it names is no longer known to be there.
    const lost = [...values().keys()].find((key) => key.startsWith('m:'));
    const unheld = [...source.keys()].filter((key) => source.holds?.(key) === false);
    expect(lost).toBeDefined();
    values().delete(lost ?? '');
    const pointer = read(POINTER_KEY);
    await expect(deployBuild(target, next.outDir, { partial: true })).rejects.toThrow(
      /lacks \d+ values build \w+ names that the local store does not hold either/,
    );
    expect(read(POINTER_KEY)).toEqual(pointer);
    const lines: string[] = [];
    const summary = await deployBuild(target, next.outDir, {
      partial: true,
      lines,
      renderMissing: async () => openStoredBuild((await buildFolder(seeds, cache)).outDir),
    });
    expect(lines.join('\n')).toContain('rendering them');
    expect(summary.switched).toBe(true);
    expect(unheld.length).toBeGreaterThan(0);
    expectServed(b);
  });

  it('switches nothing when the build is already served, and says so', async () => {
    values().clear();
    const target = standInTarget(standIn);
    await deployBuild(target, a.outDir);
    const pointer = read(POINTER_KEY);
    const lines: string[] = [];
    const firstRequest = standIn.requests.length;
    const again = await deployBuild(target, a.outDir, { lines });
    expect(again).toMatchObject({ switched: false, uploaded: { values: 0 } });
    expect(lines.join('\n')).toContain(`build ${a.buildId} is already served`);
    expect(read(POINTER_KEY)).toEqual(pointer);
    const writes = standIn.requests.slice(firstRequest).filter((r) => r.method !== 'GET');
    expect(writes).toEqual([]);
  });

  it('collects what no kept build names and leaves every kept build whole', async () => {
    values().clear();
    const cache = await tempDir('gc-cache');
    const builds: BuiltSite[] = [];
    const target = standInTarget(standIn);
    let clock = Date.parse('2024-06-01T00:00:00Z');
    // Each edition is built right before its deploy, as a publisher does: the local store
    // keeps only its newest builds, so one built eight builds ago may be gone from it.
    for (let n = 0; n < 8; n++) {
      const build = await buildSeeds(
        {
          ...SITE_A,
          'n.md': seedText({ title: `Edition ${n}`, url: `https://example.com/e${n}` }),
        },
        cache,
      );
      builds.push(build);
      // Each deploy comes after the grace period, so only the count keeps builds.
      clock += (GRACE_SECONDS + 1) * 1000;
      const at = clock;
      await deployBuild(target, build.outDir, { now: () => new Date(at) });
      const pointer = BuildPointerSchema.parse(
        JSON.parse(read(POINTER_KEY)?.toString('utf8') ?? ''),
      );
      const named = new Set<string>([POINTER_KEY]);
      for (const kept of pointer.builds) {
        const keys = await keysOfBuild(kept, async (key) => read(key) ?? null);
        expect(keys.unreadable).toEqual([]);
        for (const key of keys.keys) {
          expect(values().has(key), `${kept.buildId} needs ${key}`).toBe(true);
          named.add(key);
        }
      }
      // Nothing but the pointer and what kept builds name.
      expect(new Set(values().keys())).toEqual(named);
    }
    const last = BuildPointerSchema.parse(JSON.parse(read(POINTER_KEY)?.toString('utf8') ?? ''));
    expect(last.builds.map((kept) => kept.buildId)).toEqual(
      builds
        .slice(-5)
        .reverse()
        .map((build) => build.buildId),
    );
  });

  it('keeps the one-key-per-path layout on the first deploy and deletes it on the next', async () => {
    values().clear();
    const legacy = ['doc:/rss.xml', 'doc:/', 'meta:build', 'meta:manifest'];
    for (const key of legacy) values().set(key, { value: Buffer.from('old') });
    const target = standInTarget(standIn);
    await deployBuild(target, a.outDir);
    for (const key of legacy) expect(values().has(key)).toBe(true);
    await deployBuild(target, b.outDir);
    for (const key of legacy) expect(values().has(key)).toBe(false);
    expectServed(b);
  });

  it('says what a dry run would upload and switch, and writes nothing', async () => {
    values().clear();
    const target = standInTarget(standIn);
    await deployBuild(target, a.outDir);
    const before = new Map(values());
    const lines: string[] = [];
    const first = standIn.requests.length;
    const summary = await deployBuild(target, b.outDir, { dryRun: true, lines });
    expect(summary.switched).toBe(false);
    expect(lines.join('\n')).toMatch(
      new RegExp(`would upload \\d+ values .* and switch ${a.buildId} → ${b.buildId}`),
    );
    const reads = (r: { method: string; path: string }) =>
      r.method === 'GET' || r.path.endsWith('/bulk/get');
    expect(standIn.requests.slice(first).every(reads)).toBe(true);
    expect(values()).toEqual(before);
  });

  it('runs the worker deploy after the switch and before the trigger', async () => {
    values().clear();
    const target = standInTarget(standIn);
    await deployBuild(target, a.outDir);
    const order: string[] = [];
    await deployBuild(target, b.outDir, {
      afterSwitch: async () => {
        order.push(`worker deployed while ${crawlNamespace(read, []).buildId} is served`);
      },
      notify: async (previous, current) => {
        order.push(`trigger ${previous} → ${current}`);
        return 'trigger: done';
      },
    });
    expect(order).toEqual([
      `worker deployed while ${b.buildId} is served`,
      `trigger ${a.buildId} → ${b.buildId}`,
    ]);
  });
});

describe('a real corpus', { timeout: 120_000 }, () => {
  if (!haveShared) console.log(`skipping the powerapps corpus deploy: ${SHARED} is not here`);
  it.skipIf(!haveShared)(
    'deploys powerapps byte for byte, then only what one edited seed changes',
    async () => {
      values().clear();
      const seeds = await tempDir('powerapps');
      await cp(join(SHARED, 'corpus/powerapps'), seeds, { recursive: true });
      const cache = await tempDir('powerapps-cache');
      const taxonomyDir = join(SHARED, 'corpus/powerapps-data');
      const before = await buildFolder(seeds, cache, { taxonomyDir });
      const target = standInTarget(standIn);
      await deployBuild(target, before.outDir);
      const paths = () => new Set([...before.documents.keys()]);
      expect(crawlNamespace(read, paths()).answers).toEqual(
        expectedAnswers(before.documents, paths()),
      );

      // The newest published article: the one the feeds show.
      const names = (await readdir(seeds)).filter((name) => name.endsWith('.md')).sort();
      let seed = '';
      let text = '';
      for (const name of names.reverse()) {
        text = await readFile(join(seeds, name), 'utf8');
        seed = name;
        if (!/^published: false/m.test(text)) break;
      }
      await writeFile(join(seeds, seed), text.replace(/^title: (["']?)/m, 'title: $1Edited: '));
      const after = await buildFolder(seeds, cache, { taxonomyDir });
      const held = new Set(values().keys());
      const fresh = [...openStoredBuild(after.outDir).keys()].filter((key) => !held.has(key));
      const summary = await deployBuild(target, after.outDir);
      expect(summary.uploaded.values).toBe(fresh.length);
      expect(fresh.length).toBeGreaterThan(0);
      expect(fresh.length).toBeLessThan(after.documents.size / 2);
      const crawl = crawlNamespace(read, after.documents.keys());
      expect(crawl.buildId).toBe(after.buildId);
      expect(crawl.answers).toEqual(expectedAnswers(after.documents, after.documents.keys()));
    },
  );
});
