import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/compile/build-site.ts';
import { ValueStore } from '../../src/compile/store/value-store.ts';
import { writeBuild } from '../../src/compile/store/write-build.ts';
import { buildOptions } from '../support/build-options.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';
import { snapshotBuild } from '../support/stored-build.ts';

async function site(): Promise<string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 30; i++) {
    files[`s${String(i).padStart(2, '0')}.md`] = seedText({
      url: `https://p${i % 4}.example/${i}`,
      domain: `p${i % 4}.example`,
      date: `2021-01-${String(1 + (i % 28)).padStart(2, '0')}T0${i % 10}:00:00Z`,
      topics: [['AI', 'Cloud', 'Edge'][i % 3] ?? 'AI', '日本語'],
      title: `Story ${i} — “quoted” & <odd> 😀`,
    });
  }
  return writeSeedFolder(files);
}

describe('storing documents from the writer thread', () => {
  afterEach(() => {
    delete process.env.EDGEFEED_WRITE_THREAD_FROM;
  });

  it('stores the same build as writing in the main thread, cold and incremental', async () => {
    const dir = await site();
    const main = buildOptions(dir, {
      outDir: join(dir, 'main'),
      cacheDir: join(dir, 'c1'),
      pageSize: 4,
    });
    const threaded = { ...main, outDir: join(dir, 'threads'), cacheDir: join(dir, 'c2') };
    const inMain = await buildSite(main);
    process.env.EDGEFEED_WRITE_THREAD_FROM = '1';
    const inThread = await buildSite(threaded);
    expect(inThread.record?.buildId).toBe(inMain.record?.buildId);
    expect(inThread.added).toEqual(inMain.added);
    expect(snapshotBuild(threaded.outDir)).toBe(snapshotBuild(main.outDir));
    // Nothing new: no pack at all from the thread.
    const again = await buildSite({ ...threaded, cacheDir: join(dir, 'c2') });
    expect(again.added).toEqual({ values: 0, bytes: 0 });
  });

  it('reports a document over KV’s value limit, naming it, and leaves no pack behind', async () => {
    const dir = await site();
    process.env.EDGEFEED_WRITE_THREAD_FROM = '1';
    const store = ValueStore.open(join(dir, 'store'));
    const source = (path: string, bytes: number) => ({
      path,
      type: 'rss' as const,
      updated: 0,
      inputHash: path,
      render: () => [Buffer.alloc(bytes, 'x')],
    });
    const written = writeBuild({
      store,
      outDir: join(dir, 'out'),
      sources: [source('/fine.xml', 1000), source('/huge/rss.xml', 26 * 2 ** 20)],
      prior: new Map(),
      facts: {
        builtAt: '2021-01-01T00:00:00.000Z',
        generator: 'edgefeed',
        siteUrl: 'https://feeds.example.org',
        hubUrl: 'https://feeds.example.org/hub',
        counts: { articles: 0, topics: 0, providers: 0, feeds: 0, documents: 2, archivePages: 0 },
      },
    });
    await expect(written).rejects.toThrow(
      '/huge/rss.xml is 27262976 bytes; KV allows 26214400: lower --page-size',
    );
    expect(readdirSync(join(dir, 'store', 'packs'))).toEqual([]);
  });
});
