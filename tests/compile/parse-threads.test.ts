import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildSite } from '../../src/compile/build-site.ts';
import { buildOptions } from '../support/build-options.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';
import { snapshotBuild } from '../support/stored-build.ts';

describe('parsing seeds in worker threads', () => {
  afterEach(() => {
    delete process.env.EDGEFEED_PARSE_THREADS_FROM;
  });

  it('gives the same build as parsing them in the main thread', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) {
      files[`n${String(i).padStart(3, '0')}.md`] = seedText({
        url: `https://p${i % 5}.example/${i}`,
        domain: `p${i % 5}.example`,
        provider: `Provider ${i % 5}`,
        date: `2021-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`,
        topics: [['AI', 'Cloud', 'Edge', 'Data'][i % 4] ?? 'AI'],
        title: `Story ${i} — “quoted” & <odd>`,
        excerpt: i % 2 === 0 ? `Excerpt <b>${i}</b> &amp; more` : `Plain ${i}`,
      });
    }
    files['bad.md'] = '---\ntitle: [oops\n---\n';
    const dir = await writeSeedFolder(files);
    const main = buildOptions(dir, {
      outDir: join(dir, 'main'),
      cacheDir: undefined,
      skipInvalid: true,
    });
    const threaded = { ...main, outDir: join(dir, 'threads') };
    const inMain = await buildSite(main);
    process.env.EDGEFEED_PARSE_THREADS_FROM = '1';
    const inThreads = await buildSite(threaded);
    expect(inThreads.report.problems).toEqual(inMain.report.problems);
    expect(inThreads.report.problems).toHaveLength(1);
    expect(snapshotBuild(threaded.outDir)).toBe(snapshotBuild(main.outDir));
  });
});
