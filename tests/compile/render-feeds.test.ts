import { beforeAll, describe, expect, it } from 'vitest';
import type { BuiltDocument } from '../../src/compile/compile-build.ts';
import { compileBuild } from '../../src/compile/compile-build.ts';
import { buildOptions } from '../support/build-options.ts';
import {
  assertValidJsonFeed,
  assertWellFormedXml,
  readWithFeedsmith,
  readXmlFeed,
} from '../support/feed-checks.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';

let entries: BuiltDocument[] = [];
const body = (path: string) => {
  const entry = entries.find((e) => e.path === path);
  if (!entry) throw new Error(`no document ${path}`);
  return entry.body;
};

const richSeed = seedText({
  title: 'Tom &amp; Jerry &#038; friends: a < b ]]> c ]]> d',
  excerpt: 'Plain excerpt with <b>bold</b> &amp; more',
  url: 'https://news.example.com/story?id=1&lang=en',
  date: '2021-06-02T09:12:27-07:00',
  provider: 'News & Co',
  domain: 'news.example.com',
  topics: ['Canvas apps', 'Power Apps'],
  extra: [
    'images:',
    '  - url: "https://img.example.com/pic.png?w=1200&strip=all"',
    '    width: 1200',
    '    height: 630',
    'related:',
    '  - title: "Tech Giantâ€™s view"',
    '    webUrl: "https://other.example/related"',
    '    provider:',
    "      name: Barron's",
    '      domain: barrons.com',
  ].join('\n'),
});

beforeAll(async () => {
  const dir = await writeSeedFolder({
    'rich.md': richSeed,
    'plain.md': seedText({
      url: 'https://plain.example/1',
      date: '2021-01-01T00:00:00Z',
      domain: 'plain.example',
    }),
  });
  entries = (await compileBuild(buildOptions(dir))).documents;
});

describe('RSS 2.0', () => {
  it('is well-formed and read by two third-party parsers with every item complete', () => {
    const feed = readXmlFeed(body('/rss.xml'));
    expect(feed.items).toHaveLength(2);
    for (const item of feed.items) {
      expect(item.title).toBeTruthy();
      expect(item.url).toMatch(/^https:\/\//);
      expect(item.published).toBeInstanceOf(Date);
      expect(item.id).toBeTruthy();
    }
    expect(readWithFeedsmith(body('/rss.xml')).format).toBe('rss');
  });

  it('carries title text through intact, entities decoded once', () => {
    const item = readXmlFeed(body('/rss.xml')).items[0];
    expect(item?.title).toBe('Tom & Jerry & friends: a < b ]]> c ]]> d');
    // Escaped once for XML, never twice: `&amp;amp;` would show as "&amp;" in a reader.
    expect(body('/rss.xml')).toContain(
      '<title>Tom &amp; Jerry &amp; friends: a &lt; b ]]&gt; c ]]&gt; d</title>',
    );
  });

  it('dates items in RFC 822 with the seed offset applied', () => {
    expect(body('/rss.xml')).toContain('<pubDate>Wed, 02 Jun 2021 16:12:27 GMT</pubDate>');
  });

  it('maps provider, topics and the first image in the RSS idiom', () => {
    const xml = body('/rss.xml');
    expect(xml).toContain('<dc:creator>News &amp; Co</dc:creator>');
    expect(xml).not.toMatch(/<author>/);
    expect(xml).toContain(
      '<category domain="https://feeds.example.org/topics/canvas-apps/rss.xml">Canvas apps</category>',
    );
    expect(xml).toContain(
      '<enclosure url="https://img.example.com/pic.png?w=1200&amp;strip=all" length="0" type="image/png"/>',
    );
    expect(xml).toContain(
      '<media:content url="https://img.example.com/pic.png?w=1200&amp;strip=all" medium="image" type="image/png" width="1200" height="630"/>',
    );
    expect(xml).toContain(
      '<atom:link href="https://feeds.example.org/rss.xml" rel="self" type="application/rss+xml"/>',
    );
    const item = readXmlFeed(xml).items[0];
    expect(item?.categories.map((c) => c.label ?? c.term)).toEqual(['Canvas apps', 'Power Apps']);
    expect(item?.media[0]?.url).toBe('https://img.example.com/pic.png?w=1200&strip=all');
  });

  it('shows related coverage, mojibake repaired, in the content', () => {
    const item = readXmlFeed(body('/rss.xml')).items[0];
    expect(item?.content).toContain('Also covered by');
    expect(item?.content).toMatch(/Tech Giant’s view<\/a> — Barron(&#39;|')s/);
  });
});

describe('Atom 1.0', () => {
  it('is well-formed and read by two third-party parsers', () => {
    const feed = readXmlFeed(body('/topics/canvas-apps/atom.xml'));
    expect(feed.title).toBe('Canvas apps — edgefeed');
    expect(feed.items).toHaveLength(1);
    expect(readWithFeedsmith(body('/atom.xml')).format).toBe('atom');
  });

  it('maps author, categories, enclosure and related links', () => {
    const xml = body('/atom.xml');
    expect(xml).toContain('<name>News &amp; Co</name>');
    expect(xml).toContain('<uri>https://news.example.com/</uri>');
    expect(xml).toContain(
      '<category term="canvas-apps" label="Canvas apps" scheme="https://feeds.example.org/topics/"/>',
    );
    expect(xml).toContain(
      '<link rel="enclosure" type="image/png" length="0" href="https://img.example.com/pic.png?w=1200&amp;strip=all"/>',
    );
    expect(xml).toContain(
      '<link rel="related" href="https://other.example/related" title="Tech Giant’s view"/>',
    );
    expect(xml).not.toContain('edgefeed-'); // the render marker never survives
    const item = readXmlFeed(xml).items[0];
    expect(item?.title).toBe('Tom & Jerry & friends: a < b ]]> c ]]> d');
    expect(item?.authors[0]?.name).toBe('News & Co');
  });

  it('dates entries in RFC 3339', () => {
    expect(body('/atom.xml')).toContain('<published>2021-06-02T16:12:27.000Z</published>');
  });
});

describe('JSON Feed 1.1', () => {
  it('validates against the JSON Feed 1.1 schema and is read by feedsmith', () => {
    const feed = assertValidJsonFeed(body('/feed.json'));
    expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
    expect(readWithFeedsmith(body('/feed.json')).format).toBe('json');
  });

  it('uses authors[], tags, image, language and a plain-text summary', () => {
    const feed = JSON.parse(body('/feed.json')) as {
      language: string;
      items: Record<string, unknown>[];
    };
    const item = feed.items[0];
    expect(feed.language).toBe('en');
    expect(item).toMatchObject({
      title: 'Tom & Jerry & friends: a < b ]]> c ]]> d',
      summary: 'Plain excerpt with bold & more',
      image: 'https://img.example.com/pic.png?w=1200&strip=all',
      authors: [{ name: 'News & Co', url: 'https://news.example.com/' }],
      tags: ['Canvas apps', 'Power Apps'],
      date_published: '2021-06-02T16:12:27.000Z',
    });
    expect(item).not.toHaveProperty('author');
  });
});

describe('site documents', () => {
  it('OPML lists every feed and is well-formed', () => {
    const opml = body('/opml.xml');
    assertWellFormedXml(opml);
    expect(opml.match(/type="rss"/g)).toHaveLength(1 + 3 + 2);
  });

  it('feeds.json lists every feed with its three URLs', () => {
    const list = JSON.parse(body('/feeds.json')) as {
      feeds: { kind: string; key: string; count: number; urls: Record<string, string> }[];
    };
    expect(list.feeds.map((f) => `${f.kind}:${f.key}`)).toEqual([
      'site:',
      'topic:ai',
      'topic:canvas-apps',
      'topic:power-apps',
      'provider:plain.example',
      'provider:news.example.com',
    ]);
    expect(list.feeds[0]?.urls).toEqual({
      rss: 'https://feeds.example.org/rss.xml',
      atom: 'https://feeds.example.org/atom.xml',
      json: 'https://feeds.example.org/feed.json',
    });
  });

  it('the HTML index escapes titles and advertises the site feeds for autodiscovery', () => {
    const html = body('/');
    expect(html).toContain(
      '<link rel="alternate" type="application/rss+xml" title="edgefeed (RSS)" href="https://feeds.example.org/rss.xml">',
    );
    const page = body('/providers/news.example.com/');
    expect(page).toContain('Tom &amp; Jerry &amp; friends: a &lt; b ]]&gt; c ]]&gt; d');
    expect(page).not.toContain('<b>bold</b>');
  });
});
