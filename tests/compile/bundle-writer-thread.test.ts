import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildBundleFile } from '../../src/compile/compile-bundle.ts';
import { buildOptions } from '../support/build-options.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';

function siteFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    files[`n${String(i).padStart(3, '0')}.md`] = seedText({
      url: `https://p${i % 6}.example/${i}`,
      domain: `p${i % 6}.example`,
      provider: `Provider ${i % 6}`,
      date: `2022-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`,
      topics: [['AI', 'Cloud', 'Edge'][i % 3] ?? 'AI'],
      title: `Story ${i} — “quoted” \\ "back" & 日本語`,
      excerpt: `Line one\nline two <b>${i}</b>`,
    });
  }
  return files;
}

describe('the bundle writer thread', () => {
  afterEach(() => {
    delete process.env.EDGEFEED_WRITE_THREAD_FROM;
  });

  it('writes the same bytes as writing in the main thread, cold and incremental', async () => {
    const dir = await writeSeedFolder(siteFiles(30));
    const main = buildOptions(dir, { outDir: join(dir, 'main'), cacheDir: join(dir, 'c-main') });
    const threaded = { ...main, outDir: join(dir, 'threads'), cacheDir: join(dir, 'c-threads') };
    const read = (d: string) => readFile(join(d, 'kv-bundle.json'), 'utf8');

    const inMain = await buildBundleFile(main);
    process.env.EDGEFEED_WRITE_THREAD_FROM = '1';
    const inThread = await buildBundleFile(threaded);
    expect(inThread.rendered).toBe(inMain.rendered);
    expect(inThread.report.bytes).toBe(inMain.report.bytes);
    expect(await read(threaded.outDir)).toBe(await read(main.outDir));

    // One seed edited: the thread splices unchanged lines from the previous bundle.
    await writeFile(
      join(dir, 'n007.md'),
      seedText({
        title: 'Edited “title”',
        url: 'https://p1.example/7',
        domain: 'p1.example',
        provider: 'Provider 1',
      }),
    );
    const again = await buildBundleFile(threaded);
    expect(again.reused).toBeGreaterThan(0);
    expect(again.rendered).toBeGreaterThan(0);
    delete process.env.EDGEFEED_WRITE_THREAD_FROM;
    const cold = await buildBundleFile({ ...main, outDir: join(dir, 'cold'), cacheDir: undefined });
    expect(await read(threaded.outDir)).toBe(await read(join(dir, 'cold')));
    expect(cold.report.bytes).toBe(again.report.bytes);
  });

  it('reports a document over KV’s value limit as an error, and leaves no file behind', async () => {
    const dir = await writeSeedFolder(siteFiles(3));
    process.env.EDGEFEED_WRITE_THREAD_FROM = '1';
    const options = buildOptions(dir, { outDir: join(dir, 'out'), cacheDir: undefined });
    const huge = 'x'.repeat(9_000);
    const files: Record<string, string> = {};
    for (let i = 0; i < 3000; i++)
      files[`big${i}.md`] = seedText({
        url: `https://big.example/${i}`,
        domain: 'big.example',
        excerpt: huge,
      });
    const bigDir = await writeSeedFolder(files);
    await expect(buildBundleFile({ ...options, seedsDir: bigDir, pageSize: 3000 })).rejects.toThrow(
      /KV allows/,
    );
    expect((await readdir(options.outDir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 60_000);
});
