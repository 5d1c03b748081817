import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuiltDocument } from '../../src/compile/compile-build.ts';
import { compileBuild } from '../../src/compile/compile-build.ts';
import { buildOptions } from '../support/build-options.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';

/** A taxonomy folder in the corpus format: topics/*.yaml, organizations/*.md. */
async function writeTaxonomy(dir: string, files: Record<string, string>): Promise<string> {
  const root = join(dir, 'taxonomy');
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(root, name, '..'), { recursive: true });
    await writeFile(join(root, name), text);
  }
  return root;
}

const items = (entries: BuiltDocument[], path: string) => {
  const doc = entries.find((e) => e.path === path);
  if (!doc) throw new Error(`no ${path}: ${entries.map((e) => e.path).join(' ')}`);
  return JSON.parse(doc.body) as {
    title: string;
    items: { url: string; tags?: string[]; authors?: { name: string; avatar?: string }[] }[];
  };
};

describe('taxonomy data', () => {
  it('takes slugs and names from topic entries, matching names by case and spacing', async () => {
    const dir = await writeSeedFolder({ 'a.md': seedText({ topics: ['power  APPS'] }) });
    const taxonomyDir = await writeTaxonomy(dir, {
      'topics/00-power-apps.yaml':
        'taxonomy: topic\n_id: power-apps\nname: Power Apps\nkeywords:\n  - power apps\n',
    });
    const { documents: entries, report } = await compileBuild(buildOptions(dir, { taxonomyDir }));
    expect(report.problems).toEqual([]);
    const feed = items(entries, '/topics/power-apps/feed.json');
    expect(feed.title).toBe('Power Apps — edgefeed');
    expect(feed.items[0]?.tags).toEqual(['Power Apps']);
  });

  it("puts a child topic's articles in its parent's feed too", async () => {
    const dir = await writeSeedFolder({
      'canvas.md': seedText({ url: 'https://example.com/canvas', topics: ['Canvas apps'] }),
      'power.md': seedText({ url: 'https://example.com/power', topics: ['Power Apps'] }),
      'other.md': seedText({ url: 'https://example.com/other', topics: ['Portals'] }),
    });
    const taxonomyDir = await writeTaxonomy(dir, {
      'topics/00-power-apps.yaml': '_id: power-apps\nname: Power Apps\n',
      'topics/01-canvas-apps.yaml': '_id: canvas-apps\nname: Canvas apps\nparent: Power Apps\n',
    });
    const { documents: entries } = await compileBuild(buildOptions(dir, { taxonomyDir }));
    expect(
      items(entries, '/topics/power-apps/feed.json')
        .items.map((i) => i.url)
        .sort(),
    ).toEqual(['https://example.com/canvas', 'https://example.com/power']);
    expect(items(entries, '/topics/canvas-apps/feed.json').items.map((i) => i.url)).toEqual([
      'https://example.com/canvas',
    ]);
    expect(items(entries, '/topics/portals/feed.json').items.map((i) => i.url)).toEqual([
      'https://example.com/other',
    ]);
  });

  it('resolves a slug collision with a taxonomy entry, as the error message advises', async () => {
    const dir = await writeSeedFolder({
      'a.md': seedText({ url: 'https://example.com/a', topics: ['C++'] }),
      'b.md': seedText({ url: 'https://example.com/b', topics: ['C#'] }),
    });
    const taxonomyDir = await writeTaxonomy(dir, {
      'topics/cpp.yaml': '_id: cpp\nname: C++\n',
      'topics/csharp.yaml': '_id: csharp\nname: C#\n',
    });
    const { documents: entries, report } = await compileBuild(buildOptions(dir, { taxonomyDir }));
    expect(report.problems).toEqual([]);
    expect(items(entries, '/topics/cpp/feed.json').items.map((i) => i.url)).toEqual([
      'https://example.com/a',
    ]);
    expect(items(entries, '/topics/csharp/feed.json').items.map((i) => i.url)).toEqual([
      'https://example.com/b',
    ]);
  });

  it('names providers and gives their logos from the organizations data', async () => {
    const dir = await writeSeedFolder({ 'a.md': seedText({ domain: 'bbc.com', provider: 'bbc' }) });
    const taxonomyDir = await writeTaxonomy(dir, {
      '_config.yml': 'url: https://site.example\nbaseurl: "/news"\n',
      'organizations/bbc.com.md':
        '---\ntaxonomy: organization\n_id: bbc.com\nname: BBC\ndomain: bbc.com\nimages:\n  - url: /assets/bbc-400.jpg\n    width: 400\n  - url: /assets/bbc-50.jpg\n    width: 50\n---\n',
    });
    const { documents: entries } = await compileBuild(buildOptions(dir, { taxonomyDir }));
    const feed = items(entries, '/providers/bbc.com/feed.json');
    expect(feed.title).toBe('BBC — edgefeed');
    expect(feed.items[0]?.authors?.[0]).toMatchObject({
      name: 'BBC',
      avatar: 'https://site.example/news/assets/bbc-50.jpg',
    });
  });

  it("without data, names a provider's feed after its newest article, and each item after its own seed", async () => {
    const dir = await writeSeedFolder({
      'old.md': seedText({
        url: 'https://example.com/1',
        date: '2020-01-01T00:00:00Z',
        provider: 'Old Name',
      }),
      'new.md': seedText({
        url: 'https://example.com/2',
        date: '2021-01-01T00:00:00Z',
        provider: 'New Name',
      }),
    });
    const { documents: entries } = await compileBuild(buildOptions(dir));
    const feed = items(entries, '/providers/example.com/feed.json');
    expect(feed.title).toBe('New Name — edgefeed');
    // An item shows what its own seed says: a newer article never rewrites an older item,
    // so archived pages stay as they were sealed (RFC 5005 §4).
    expect(feed.items.map((i) => i.authors?.[0]?.name)).toEqual(['New Name', 'Old Name']);
  });

  it('reports a taxonomy entry that is not valid, with its file', async () => {
    const dir = await writeSeedFolder({ 'a.md': seedText() });
    const taxonomyDir = await writeTaxonomy(dir, { 'topics/bad.yaml': 'name: No id\n' });
    const { report } = await compileBuild(buildOptions(dir, { taxonomyDir }));
    expect(report.problems).toEqual([expect.stringMatching(/taxonomy\/topics\/bad\.yaml:1 _id: /)]);
  });
});
