// A feed reader given a page's URL must find that page's feeds (RSS Board "RSS
// Autodiscovery"). The judge is htmlmetaparser on htmlparser2: third-party code that reads
// `<link rel="alternate">` the way readers do, resolving hrefs against the page URL.
import { fileURLToPath } from 'node:url';
import { Handler, type Result } from 'htmlmetaparser';
import { Parser } from 'htmlparser2';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BuiltDocument } from '../../src/compile/compile-build.ts';
import { compileBuild } from '../../src/compile/compile-build.ts';
import { isFeedViewPath } from '../../src/core/document-paths.ts';
import { buildOptions } from '../support/build-options.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';

const SITE = 'https://feeds.example.org';
const FIXTURE_SEEDS = fileURLToPath(new URL('../fixtures/site', import.meta.url));
const TAXONOMY = fileURLToPath(new URL('../browser/fixtures/taxonomy', import.meta.url));
const FEED_TYPES = new Set([
  'application/rss+xml',
  'application/atom+xml',
  'application/feed+json',
]);

/** The feeds a reader discovers in a page: URL → title, as the library reports them. */
function discoverFeeds(html: string, pageUrl: string): Map<string, string | undefined> {
  let result: Result | undefined;
  const handler = new Handler(
    (error, parsed) => {
      if (error) throw error;
      result = parsed;
    },
    { url: pageUrl },
  );
  const parser = new Parser(handler, { decodeEntities: true });
  parser.write(html);
  parser.end();
  if (!result) throw new Error(`htmlmetaparser returned nothing for ${pageUrl}`);
  const feeds = result.alternate.filter((a) => FEED_TYPES.has(a.type));
  return new Map(feeds.map((a) => [a.href, a.title]));
}

/** The three feed URLs that belong to a page path (`/`, `/topics/ai/`, …). */
function ownFeeds(path: string): string[] {
  return ['rss.xml', 'atom.xml', 'feed.json'].map((f) => `${SITE}${path}${f}`);
}

function pages(entries: BuiltDocument[]): { path: string; html: string }[] {
  // A feed's browser view (served at the feed's URL) advertises its feeds too, checked below.
  return entries
    .filter((e) => e.type === 'html' && !isFeedViewPath(e.path))
    .map((e) => ({ path: e.path, html: e.body }));
}

describe('feed autodiscovery on the pages of the fixture site', () => {
  let entries: BuiltDocument[] = [];
  beforeAll(async () => {
    const built = await compileBuild(
      buildOptions(FIXTURE_SEEDS, { siteUrl: SITE, taxonomyDir: TAXONOMY }),
    );
    expect(built.report.problems).toEqual([]);
    entries = built.documents;
  });

  it('builds the index and a page for every topic and provider', () => {
    expect(pages(entries).map((p) => p.path)).toEqual(
      expect.arrayContaining([
        '/',
        '/topics/technology/',
        '/topics/ai/',
        '/topics/cloud/',
        '/providers/example.com/',
        '/providers/news.example.org/',
      ]),
    );
    expect(pages(entries)).toHaveLength(6);
  });

  it('finds exactly the site feeds on / and exactly its own three feeds on every page', () => {
    for (const { path, html } of pages(entries)) {
      const found = discoverFeeds(html, `${SITE}${path}`);
      expect([...found.keys()].sort(), path).toEqual(ownFeeds(path).sort());
    }
  });

  it('titles each discovered feed with the page and the format', () => {
    const found = discoverFeeds(
      pages(entries).find((p) => p.path === '/topics/ai/')?.html ?? '',
      `${SITE}/topics/ai/`,
    );
    expect([...found.values()]).toEqual([
      'AI — edgefeed (RSS)',
      'AI — edgefeed (Atom)',
      'AI — edgefeed (JSON Feed)',
    ]);
  });
});

describe('feed autodiscovery with markup in names', () => {
  it('finds the feeds, with the names read back unchanged, when names carry & < > " \'', async () => {
    const dir = await writeSeedFolder({
      'a.md': seedText({
        title: 'A "quoted" <title> & more',
        provider: `Tom & Jerry's <News> "Daily"`,
        domain: 'tom.example',
        topics: [`R&D <"labs">`],
      }),
    });
    const { documents: entries, report } = await compileBuild(buildOptions(dir, { siteUrl: SITE }));
    expect(report.problems).toEqual([]);
    const provider = pages(entries).find((p) => p.path === '/providers/tom.example/');
    const found = discoverFeeds(provider?.html ?? '', `${SITE}/providers/tom.example/`);
    expect([...found.keys()].sort()).toEqual(ownFeeds('/providers/tom.example/').sort());
    expect(found.get(`${SITE}/providers/tom.example/rss.xml`)).toBe(
      `Tom & Jerry's <News> "Daily" — edgefeed (RSS)`,
    );
    for (const { path, html } of pages(entries)) {
      expect([...discoverFeeds(html, `${SITE}${path}`).keys()].sort(), path).toEqual(
        ownFeeds(path).sort(),
      );
    }
  });
});
