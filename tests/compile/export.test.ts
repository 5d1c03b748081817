import { readdirSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/compile/build-site.ts';
import { isFeedViewPath } from '../../src/core/document-paths.ts';
import { buildOptions } from '../support/build-options.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';
import { readStoredBuild } from '../support/stored-build.ts';

/** Every file under `dir`, by relative path, with its bytes: what `diff -r` compares. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path), readFileSync(path, 'latin1'));
  }
  return files;
}

async function site() {
  return writeSeedFolder({
    'a.md': seedText({ url: 'https://a.example/1', domain: 'a.example', topics: ['日本語'] }),
    'b.md': seedText({
      url: 'https://b.example/2',
      domain: 'b.example',
      date: '2021-02-01T00:00:00Z',
    }),
    'c.md': seedText({ url: 'https://b.example/3', domain: 'b.example', title: 'Third' }),
  });
}

describe('--export', () => {
  it('writes every served document at its URL path, byte for byte', async () => {
    const dir = await site();
    const exportDir = join(dir, 'export');
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache'), exportDir });
    await buildSite(options);
    const build = readStoredBuild(options.outDir);
    const files = tree(exportDir);
    // Every document but the feeds' browser views, which share their feed's URL.
    expect(files.size).toBe(build.paths.filter((p) => !isFeedViewPath(p)).length);
    const bytes = (path: string) => Buffer.from(build.text(path)).toString('latin1');
    expect(files.get('index.html')).toBe(bytes('/'));
    expect(files.get('rss.xml')).toBe(bytes('/rss.xml'));
    expect(files.get('providers/b.example/index.html')).toBe(bytes('/providers/b.example/'));
    // A URL's segments are percent-encoded; the file is named as a static host decodes it.
    expect(files.get('topics/日本語/feed.json')).toBe(
      bytes(`/topics/${encodeURIComponent('日本語')}/feed.json`),
    );
  });

  it('after edits, additions and deletions, equals a cold build’s export and writes only what changed', async () => {
    const dir = await site();
    const exportDir = join(dir, 'export');
    const options = buildOptions(dir, { cacheDir: join(dir, '.cache'), exportDir });
    await buildSite(options);
    await writeFile(
      join(dir, 'c.md'),
      seedText({ url: 'https://b.example/3', domain: 'b.example', title: 'Third, fixed' }),
    );
    await rm(join(dir, 'a.md'));
    await writeFile(
      join(dir, 'd.md'),
      seedText({ url: 'https://d.example/4', domain: 'd.example' }),
    );
    const incremental = await buildSite(options);
    const coldDir = join(dir, 'export-cold');
    await buildSite({
      ...options,
      outDir: join(dir, 'cold'),
      cacheDir: undefined,
      exportDir: coldDir,
    });
    expect(tree(exportDir)).toEqual(tree(coldDir));
    expect(incremental.exported?.removed).toBeGreaterThan(0); // a.example's and 日本語's feeds
    expect(incremental.exported?.written).toBeLessThan(tree(coldDir).size);
    expect(readdirSync(join(exportDir, 'topics'))).not.toContain('日本語');
  });
});
