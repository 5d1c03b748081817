// A feed URL that explains itself (issue #18): a browser's navigation gets the feed's
// pre-rendered HTML view, everything else the feed's bytes, inside workerd against a real
// local KV namespace loaded with the fixture build (page size 1, so it has archives).
import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { feedViewPath } from '../../src/core/document-paths.ts';
import { documentOf, documentsOf } from './support/build-documents.ts';
import { loadBuild } from './support/load-build.ts';

const build = inject('pagedBuild');
const ORIGIN = 'https://feeds.test';
/** What Chromium, Firefox and Safari send when a person opens a URL. */
const NAVIGATION = {
  Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'Sec-Fetch-Dest': 'document',
  'Sec-Fetch-Mode': 'navigate',
  'Sec-Fetch-Site': 'none',
  'Sec-Fetch-User': '?1',
};
const NEWEST_TITLE = 'Org Daily on AI safety';

beforeAll(async () => {
  await loadBuild(env.FEEDS, build);
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await SELF.fetch(`${ORIGIN}${path}`, { headers });
  return { response, body: await response.text() };
}

const view = (path: string) =>
  documentsOf(build, { views: true }).find((d) => d.path === feedViewPath(path));

describe('a feed URL opened in a browser', () => {
  it('gets an HTML page saying what the feed is, its newest items and how to subscribe', async () => {
    const { response, body } = await get('/rss.xml', NAVIGATION);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Content-Security-Policy')).toBeTruthy();
    expect(body).toMatch(/^<!doctype html>/);
    expect(body).toContain('This is the RSS feed of');
    expect(body).toContain(NEWEST_TITLE);
    expect(body).toContain(`value="${ORIGIN}/rss.xml"`);
    expect(body).toContain(`href="${ORIGIN}/opml.xml"`);
    expect(body).toBe(view('/rss.xml')?.body);
  });

  it('gets the view of every subscription and archive document, with its own ETag', async () => {
    const feeds = documentsOf(build).filter((d) =>
      /\/(rss\.xml|atom\.xml|feed\.json)$/.test(d.path),
    );
    expect(feeds.some((d) => d.path.includes('/archive/'))).toBe(true);
    for (const feed of feeds) {
      const { response, body } = await get(feed.path, NAVIGATION);
      const expected = view(feed.path);
      expect(expected, feed.path).toBeDefined();
      expect(body, feed.path).toBe(expected?.body);
      expect(response.headers.get('ETag'), feed.path).toBe(expected?.etag);
      expect(response.headers.get('ETag'), feed.path).not.toBe(feed.etag);
      expect(response.headers.get('Vary')).toBe('Accept-Encoding, Sec-Fetch-Dest, Sec-Fetch-Mode');
    }
    const archive = await get('/archive/1/atom.xml', NAVIGATION);
    expect(archive.body).toContain('This is archive page 1 of the Atom feed of');
  });

  it('answers 304 to a navigation that holds the view ETag, and the feed to one that holds the feed ETag', async () => {
    const viewTag = view('/topics/ai/feed.json')?.etag ?? '';
    const feed = documentOf(build, '/topics/ai/feed.json');
    const again = await get('/topics/ai/feed.json', { ...NAVIGATION, 'If-None-Match': viewTag });
    expect(again.response.status).toBe(304);
    expect(again.body).toBe('');
    expect(again.response.headers.get('ETag')).toBe(viewTag);
    expect(again.response.headers.get('Vary')).toContain('Sec-Fetch-Mode');
    const other = await get('/topics/ai/feed.json', { ...NAVIGATION, 'If-None-Match': feed.etag });
    expect(other.response.status).toBe(200);
    expect(other.body).toBe(view('/topics/ai/feed.json')?.body);
    const reader = await get('/topics/ai/feed.json', { 'If-None-Match': feed.etag });
    expect(reader.response.status).toBe(304);
  });
});

describe('every other request for a feed URL', () => {
  const cases: [string, Record<string, string>][] = [
    ['no headers (curl, fetch)', {}],
    ['a browser-like Accept alone', { Accept: NAVIGATION.Accept }],
    ['Sec-Fetch-Dest: document without navigate', { 'Sec-Fetch-Dest': 'document' }],
    [
      'Sec-Fetch-Mode: navigate into a frame',
      { 'Sec-Fetch-Dest': 'iframe', 'Sec-Fetch-Mode': 'navigate' },
    ],
    ['a fetch() from a page', { 'Sec-Fetch-Dest': 'empty', 'Sec-Fetch-Mode': 'cors' }],
    [
      'headers that mean nothing',
      { 'Sec-Fetch-Dest': 'document, document', 'Sec-Fetch-Mode': '?' },
    ],
  ];
  for (const [what, headers] of cases) {
    it(`gets exactly the feed's bytes: ${what}`, async () => {
      for (const path of ['/rss.xml', '/archive/1/feed.json']) {
        const { response, body } = await get(path, headers);
        const feed = documentOf(build, path);
        expect(response.status).toBe(200);
        expect(body).toBe(feed.body);
        expect(response.headers.get('ETag')).toBe(feed.etag);
        expect(response.headers.get('Content-Type')).toBe(feed.contentType);
      }
    });
  }

  it('cannot name a view by its manifest key', async () => {
    expect((await get('/rss.xml?view')).body).toBe(documentOf(build, '/rss.xml').body);
    expect((await get('/rss.xml%3Fview')).response.status).toBe(404);
  });
});
