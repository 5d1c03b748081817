import { describe, expect, it } from 'vitest';
import type { BuiltDocument } from '../../src/compile/compile-build.ts';
import { compileBuild } from '../../src/compile/compile-build.ts';
import { buildOptions } from '../support/build-options.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';

const doc = (entries: BuiltDocument[], key: string) => {
  const entry = entries.find((e) => e.path === key);
  if (!entry) throw new Error(`no ${key} in bundle: ${entries.map((e) => e.path).join(', ')}`);
  return entry;
};
const jsonItems = (entries: BuiltDocument[], path: string) =>
  (JSON.parse(doc(entries, path).body) as { items: { url: string }[] }).items.map((i) => i.url);

describe('compileBuild', () => {
  it('excludes unpublished seeds, merges duplicate URLs keeping the newest, and counts each', async () => {
    const dir = await writeSeedFolder({
      'a.md': seedText({
        url: 'https://example.com/1',
        date: '2021-01-01T00:00:00Z',
        title: 'Old copy',
      }),
      'b.md': seedText({
        url: 'https://example.com/1',
        date: '2021-02-01T00:00:00Z',
        title: 'New copy',
      }),
      'c.md': seedText({ url: 'https://example.com/2', published: false }),
      'nested/deeper/d.markdown': seedText({
        url: 'https://example.com/3',
        domain: 'other.org',
        topics: ['Canvas apps'],
      }),
      'ignored.html': seedText({ url: 'https://example.com/4' }),
    });
    const { report, documents: entries } = await compileBuild(buildOptions(dir));
    expect(report).toMatchObject({
      filesRead: 4,
      published: 2,
      unpublished: 1,
      invalid: 0,
      duplicatesMerged: 1,
    });
    expect(report.filesRead).toBe(
      report.published + report.unpublished + report.invalid + report.duplicatesMerged,
    );
    const site = JSON.parse(doc(entries, '/feed.json').body) as {
      items: { title: string; url: string }[];
    };
    expect(site.items.map((i) => i.title)).toContain('New copy');
    expect(site.items.map((i) => i.title)).not.toContain('Old copy');
  });

  it('puts each article in the site feed, each of its topic feeds and its provider feed, newest first', async () => {
    const dir = await writeSeedFolder({
      '1.md': seedText({
        url: 'https://a.example/1',
        date: '2021-01-01T00:00:00Z',
        topics: ['AI', 'Canvas apps'],
        domain: 'a.example',
      }),
      '2.md': seedText({
        url: 'https://b.example/2',
        date: '2021-03-01T00:00:00Z',
        topics: ['ai'],
        domain: 'B.Example',
      }),
      '3.md': seedText({
        url: 'https://a.example/3',
        date: '2021-02-01T00:00:00Z',
        topics: ['Canvas  Apps'],
        domain: 'a.example',
      }),
    });
    const { documents: entries, report } = await compileBuild(buildOptions(dir));
    expect(report).toMatchObject({ topics: 2, providers: 2, feeds: 5 });
    expect(jsonItems(entries, '/feed.json')).toEqual([
      'https://b.example/2',
      'https://a.example/3',
      'https://a.example/1',
    ]);
    expect(jsonItems(entries, '/topics/ai/feed.json')).toEqual([
      'https://b.example/2',
      'https://a.example/1',
    ]);
    expect(jsonItems(entries, '/topics/canvas-apps/feed.json')).toEqual([
      'https://a.example/3',
      'https://a.example/1',
    ]);
    expect(jsonItems(entries, '/providers/a.example/feed.json')).toEqual([
      'https://a.example/3',
      'https://a.example/1',
    ]);
    expect(jsonItems(entries, '/providers/b.example/feed.json')).toEqual(['https://b.example/2']);
  });

  it('holds only the newest page-size items in each document', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 7; i++)
      files[`${i}.md`] = seedText({
        url: `https://example.com/${i}`,
        date: `2021-01-0${i + 1}T00:00:00Z`,
      });
    const { documents: entries } = await compileBuild(
      buildOptions(await writeSeedFolder(files), { pageSize: 3 }),
    );
    expect(jsonItems(entries, '/feed.json')).toEqual([
      'https://example.com/6',
      'https://example.com/5',
      'https://example.com/4',
    ]);
  });

  it('gives byte-identical bundles for two builds of the same seeds', async () => {
    const dir = await writeSeedFolder({
      'a.md': seedText({ excerpt: 'Tom &amp; Jerry <b>bold</b>' }),
      'b.md': seedText({ url: 'https://example.com/b' }),
    });
    const first = await compileBuild(buildOptions(dir));
    const second = await compileBuild(buildOptions(dir));
    expect(JSON.stringify(second.documents)).toBe(JSON.stringify(first.documents));
  });

  it('never lets the secured field name or value into the bundle', async () => {
    const dir = await writeSeedFolder({
      'a.md': seedText(),
      'b.md': seedText({ url: 'https://example.com/b', published: false }),
    });
    const { documents: entries } = await compileBuild(buildOptions(dir));
    const all = JSON.stringify(entries);
    expect(all).not.toContain('TOP-SECRET-VALUE');
    expect(all).not.toMatch(/secured/i);
  });

  it('reports every invalid file, sorted, and fails unless invalid seeds may be skipped', async () => {
    const dir = await writeSeedFolder({
      'good.md': seedText(),
      'z-bad.md': seedText({ url: 'https://example.com/z', date: 'soon' }),
      'a-bad.md': seedText({ url: 'https://example.com/a', domain: 'not a domain' }),
    });
    const strict = await compileBuild(buildOptions(dir));
    expect(strict.ok).toBe(false);
    expect(strict.report.problems).toEqual([
      'a-bad.md:9 provider.domain: not a domain name',
      'z-bad.md:4 publishedDateTime: not a date ("soon"); expected e.g. 2021-10-26T10:29:00Z',
    ]);
    expect(strict.report).toMatchObject({
      invalid: 2,
      published: 1,
      rejected: ['a-bad.md', 'z-bad.md'],
    });
    expect(jsonItems(strict.documents, '/feed.json')).toEqual(['https://example.com/a']);
  });

  it('rejects two topic names that would share a slug, naming both files and names', async () => {
    const dir = await writeSeedFolder({
      'a.md': seedText({ url: 'https://example.com/a', topics: ['C++'] }),
      'b.md': seedText({ url: 'https://example.com/b', topics: ['C#'] }),
    });
    const { report } = await compileBuild(buildOptions(dir));
    expect(report.problems).toEqual([
      'b.md:11 topics.0: topic "C#" would share the slug "c" with "C++" in a.md; add a taxonomy entry (--taxonomy) that names one of them, or rename it',
    ]);
  });

  it('rejects a topic name with no letters or digits instead of making an empty slug', async () => {
    const { report } = await compileBuild(
      buildOptions(await writeSeedFolder({ 'a.md': seedText({ topics: ['!!!'] }) })),
    );
    expect(report.problems).toEqual([
      'a.md:11 topics.0: topic "!!!" has no letters or digits to make a slug from',
    ]);
  });

  it('counts text hygiene in the report', async () => {
    const dir = await writeSeedFolder({ 'a.md': seedText({ title: 'Giantâ€™s \u0001step' }) });
    const { report, documents: entries } = await compileBuild(buildOptions(dir));
    expect(report.text).toEqual({ mojibakeRepaired: 1, illegalRemoved: 1 });
    expect(doc(entries, '/rss.xml').body).toContain('Giant’s step');
  });
});
