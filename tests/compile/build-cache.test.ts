import { readdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/compile/build-site.ts';
import type { BuildOptions } from '../../src/compile/parse-build-args.ts';
import { buildOptions } from '../support/build-options.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';
import { snapshotBuild } from '../support/stored-build.ts';

/** A small site: 12 articles over 3 topics and 4 providers. */
async function site(): Promise<string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 12; i++) {
    files[`s${String(i).padStart(2, '0')}.md`] = seedText({
      url: `https://p${i % 4}.example/${i}`,
      domain: `p${i % 4}.example`,
      date: `2021-01-${String(i + 1).padStart(2, '0')}T00:00:00Z`,
      topics: [['AI', 'Cloud', 'Edge'][i % 3] ?? 'AI'],
      title: `Story ${i}`,
    });
  }
  return writeSeedFolder(files);
}

/** Builds with the cache, then cold into another folder; returns what both serve. */
async function incrementalAndCold(options: BuildOptions) {
  const incremental = await buildSite(options);
  const coldOut = `${options.outDir}-cold`;
  await buildSite({ ...options, outDir: coldOut, cacheDir: undefined });
  return {
    incremental,
    bytes: snapshotBuild(options.outDir),
    cold: snapshotBuild(coldOut),
  };
}

describe('the build cache', () => {
  it('rebuilds nothing when nothing changed, and writes the same bytes', async () => {
    const dir = await site();
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache') });
    const first = await buildSite(options);
    expect(first).toMatchObject({ parsed: 12, reused: 0 });
    const { incremental, bytes, cold } = await incrementalAndCold(options);
    expect(incremental).toMatchObject({ parsed: 0, rendered: 0 });
    expect(bytes).toBe(cold);
  });

  it('after one seed changes, reads one seed, re-renders only what shows it, and matches a cold build', async () => {
    const dir = await site();
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache') });
    const first = await buildSite(options);
    await writeFile(
      join(dir, 's05.md'),
      seedText({
        url: 'https://p1.example/5',
        domain: 'p1.example',
        date: '2021-01-06T00:00:00Z',
        topics: ['Edge'],
        title: 'Story 5, corrected',
      }),
    );
    const { incremental, bytes, cold } = await incrementalAndCold(options);
    expect(bytes).toBe(cold);
    expect(bytes).toContain('Story 5, corrected');
    expect(incremental.parsed).toBe(1);
    // site feeds (3) + Edge (3 + page) + p1.example (3 + page), the newest outbox page of
    // each of those three actors, and each feed's browser view (9); the indexes are unchanged
    expect(incremental.rendered).toBe(23);
    expect(incremental.reused).toBe(first.rendered - 23);
  });

  it('after a seed is added or deleted, matches a cold build', async () => {
    const dir = await site();
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache') });
    await buildSite(options);
    await writeFile(
      join(dir, 'new.md'),
      seedText({
        url: 'https://p9.example/new',
        domain: 'p9.example',
        topics: ['Quantum'],
        title: 'Brand new',
      }),
    );
    let result = await incrementalAndCold(options);
    expect(result.bytes).toBe(result.cold);
    expect(result.incremental.parsed).toBe(1);
    await rm(join(dir, 's00.md'));
    result = await incrementalAndCold(options);
    expect(result.bytes).toBe(result.cold);
    expect(result.bytes).not.toContain('Story 0<');
    expect(result.incremental.parsed).toBe(0);
  });

  it('renames a provider after its newest article is deleted, as a cold build does', async () => {
    const dir = await writeSeedFolder({
      'a.md': seedText({
        url: 'https://x.example/1',
        domain: 'x.example',
        provider: 'First Name',
        date: '2021-01-01T00:00:00Z',
      }),
      'b.md': seedText({
        url: 'https://x.example/2',
        domain: 'x.example',
        provider: 'Second Name',
        date: '2021-02-01T00:00:00Z',
      }),
      'c.md': seedText({
        url: 'https://x.example/3',
        domain: 'x.example',
        provider: 'Third Name',
        date: '2021-03-01T00:00:00Z',
      }),
    });
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache') });
    await buildSite(options);
    await rm(join(dir, 'c.md'));
    const { bytes, cold } = await incrementalAndCold(options);
    expect(cold).toContain('Second Name — edgefeed');
    expect(bytes).toBe(cold);
  });

  it.each([
    ['page size', { pageSize: 5 }],
    ['site URL', { siteUrl: 'https://elsewhere.example' }],
  ])('starts cold when the %s changes', async (_name, change) => {
    const dir = await site();
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache') });
    await buildSite(options);
    const { incremental, bytes, cold } = await incrementalAndCold({ ...options, ...change });
    expect(incremental).toMatchObject({ parsed: 12, reused: 0 });
    expect(bytes).toBe(cold);
  });

  it('starts cold when the site config changes', async () => {
    const dir = await site();
    const configPath = join(dir, 'site.json');
    await writeFile(configPath, JSON.stringify({ title: 'Before' }));
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache'), configPath });
    await buildSite(options);
    await writeFile(configPath, JSON.stringify({ title: 'After' }));
    const { incremental, bytes, cold } = await incrementalAndCold(options);
    expect(incremental.reused).toBe(0);
    expect(bytes).toBe(cold);
    expect(bytes).toContain('After');
  });

  it('renders again what the store no longer holds', async () => {
    const dir = await site();
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache') });
    await buildSite(options);
    await rm(join(options.outDir, 'store'), { recursive: true });
    const { incremental, bytes, cold } = await incrementalAndCold(options);
    expect(incremental).toMatchObject({ parsed: 0, reused: 0 });
    expect(bytes).toBe(cold);
  });

  it('keeps build state only in the cache folder, no document bodies', async () => {
    const dir = await site();
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache') });
    await buildSite(options);
    expect((await readdir(options.cacheDir ?? '')).sort()).toEqual(['site-state.bin']);
  });

  it('from a cache folder restored alone, --changed-only renders nothing and makes the cold build', async () => {
    const dir = await site();
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache') });
    await buildSite(options);
    await rm(options.outDir, { recursive: true });
    const again = await buildSite({ ...options, changedOnly: true });
    expect(again).toMatchObject({ parsed: 0, rendered: 0 });
    // Only the manifest shards are stored: every body is known by its hash.
    expect(again.added.values).toBe(again.record?.shards.length);
    const cold = await buildSite({
      ...options,
      outDir: `${options.outDir}-cold`,
      cacheDir: undefined,
    });
    expect(again.record).toEqual(cold.record);
  });

  it('from a cache folder restored alone, without --changed-only, renders every body again', async () => {
    const dir = await site();
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache') });
    const first = await buildSite(options);
    await rm(options.outDir, { recursive: true });
    const { incremental, bytes, cold } = await incrementalAndCold(options);
    expect(incremental).toMatchObject({ parsed: 0, rendered: first.rendered });
    expect(bytes).toBe(cold);
  });

  it('rebuilds from a cache that moved, into another out folder', async () => {
    const dir = await site();
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache') });
    const first = await buildSite(options);
    await rename(join(dir, '.cache'), join(dir, '.cache-moved'));
    const moved = { ...options, cacheDir: join(dir, '.cache-moved'), outDir: join(dir, 'other') };
    const again = await buildSite({ ...moved, changedOnly: true });
    expect(again).toMatchObject({ parsed: 0, rendered: 0 });
    expect(again.record).toEqual(first.record);
  });

  it('survives a deleted or corrupt cache by building cold', async () => {
    const dir = await site();
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache') });
    await buildSite(options);
    await writeFile(join(dir, '.cache', 'site-state.bin'), 'not a cache');
    const { incremental, bytes, cold } = await incrementalAndCold(options);
    expect(incremental.parsed).toBe(12);
    expect(bytes).toBe(cold);
  });
});

type SeedSpec = {
  n: number;
  day: number;
  provider: string;
  name: string;
  topics: string[];
  title: string;
  published: boolean;
};

describe('the build cache, over random edits', () => {
  const seed: fc.Arbitrary<SeedSpec> = fc.record({
    n: fc.integer({ min: 0, max: 7 }),
    day: fc.integer({ min: 1, max: 28 }),
    provider: fc.constantFrom('a.example', 'b.example'),
    name: fc.constantFrom('Alpha', 'Beta', 'Gamma'),
    topics: fc.uniqueArray(fc.constantFrom('AI', 'Cloud', 'Edge'), { maxLength: 2 }),
    title: fc.constantFrom('One', 'Two', 'Three'),
    published: fc.boolean(),
  });
  const text = (s: SeedSpec) =>
    seedText({
      url: `https://${s.provider}/${s.n}`,
      domain: s.provider,
      provider: s.name,
      date: `2021-01-${String(s.day).padStart(2, '0')}T00:00:00Z`,
      topics: s.topics,
      title: s.title,
      published: s.published,
    });
  const step = fc.oneof(
    fc.record({ op: fc.constant('write' as const), file: fc.integer({ min: 0, max: 5 }), seed }),
    fc.record({ op: fc.constant('delete' as const), file: fc.integer({ min: 0, max: 5 }) }),
  );

  it('writes, after any sequence of writes and deletes, exactly what a cold build writes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(seed, { minLength: 1, maxLength: 6 }),
        fc.array(step, { minLength: 1, maxLength: 5 }),
        async (initial, steps) => {
          const dir = await writeSeedFolder(
            Object.fromEntries(initial.map((s, i) => [`f${i}.md`, text(s)])),
          );
          const options = buildOptions(dir, {
            cacheDir: join(dir, '.cache'),
            pageSize: 3,
            skipInvalid: true,
          });
          await buildSite(options);
          for (const s of steps) {
            if (s.op === 'write') await writeFile(join(dir, `f${s.file}.md`), text(s.seed));
            else await rm(join(dir, `f${s.file}.md`), { force: true });
            const { bytes, cold } = await incrementalAndCold(options);
            expect(bytes).toBe(cold);
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
