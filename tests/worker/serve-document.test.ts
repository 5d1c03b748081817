import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { MEDIA_TYPES } from '../../src/core/media-types.ts';
import { documentOf } from './support/build-documents.ts';
import { loadBuild } from './support/load-build.ts';

const ORIGIN = 'https://feeds.test';
const build = inject('fixtureBuild');

beforeAll(async () => {
  await loadBuild(env.FEEDS, build);
});

describe('serving a stored document', () => {
  it.each([
    ['/rss.xml', MEDIA_TYPES.rss],
    ['/atom.xml', MEDIA_TYPES.atom],
    ['/feed.json', MEDIA_TYPES.jsonFeed],
    ['/opml.xml', MEDIA_TYPES.opml],
    ['/feeds.json', MEDIA_TYPES.json],
    ['/', MEDIA_TYPES.html],
    ['/topics/ai/rss.xml', MEDIA_TYPES.rss],
    ['/topics/ai/', MEDIA_TYPES.html],
    ['/providers/example.com/feed.json', MEDIA_TYPES.jsonFeed],
    ['/providers/example.com/', MEDIA_TYPES.html],
  ])('answers 200 for %s with the stored body and its own Content-Type %s', async (path, type) => {
    const response = await SELF.fetch(`${ORIGIN}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe(type);
    expect(await response.text()).toBe(documentOf(build, path).body);
  });

  it("sends the content hash as ETag and the entry's time as Last-Modified (RFC 9110 §8.8.2, §8.8.3)", async () => {
    const response = await SELF.fetch(`${ORIGIN}/atom.xml`);
    await response.arrayBuffer();
    const stored = documentOf(build, '/atom.xml');
    expect(response.headers.get('ETag')).toBe(`"${stored.hash}"`);
    expect(response.headers.get('Last-Modified')).toBe(stored.lastModified);
    // The newest fixture article (2021-10-27T08:00:00Z), as an IMF-fixdate.
    expect(response.headers.get('Last-Modified')).toBe('Wed, 27 Oct 2021 08:00:00 GMT');
  });

  it('sends Cache-Control with FEED_MAX_AGE and stale-while-revalidate (RFC 9111 §5.2.2, RFC 5861)', async () => {
    const response = await SELF.fetch(`${ORIGIN}/feed.json`);
    await response.arrayBuffer();
    expect(response.headers.get('Cache-Control')).toBe(
      `public, max-age=${env.FEED_MAX_AGE}, stale-while-revalidate=3600`,
    );
  });

  it('sends Vary: Accept-Encoding, and on feeds the Fetch metadata a browser view depends on (RFC 9110 §12.5.5)', async () => {
    const feed = await SELF.fetch(`${ORIGIN}/rss.xml`);
    await feed.arrayBuffer();
    expect(feed.headers.get('Vary')).toBe('Accept-Encoding, Sec-Fetch-Dest, Sec-Fetch-Mode');
    const page = await SELF.fetch(`${ORIGIN}/topics/ai/`);
    await page.arrayBuffer();
    expect(page.headers.get('Vary')).toBe('Accept-Encoding');
  });

  it('answers HEAD with the GET headers and no body (RFC 9110 §9.3.2)', async () => {
    const get = await SELF.fetch(`${ORIGIN}/topics/ai/atom.xml`);
    await get.arrayBuffer();
    const head = await SELF.fetch(`${ORIGIN}/topics/ai/atom.xml`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    for (const name of ['Content-Type', 'ETag', 'Last-Modified', 'Cache-Control', 'Vary']) {
      expect(head.headers.get(name), name).toBe(get.headers.get(name));
    }
  });

  it('answers HEAD for an HTML page too', async () => {
    const head = await SELF.fetch(`${ORIGIN}/providers/news.example.org/`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('Content-Type')).toBe(MEDIA_TYPES.html);
    expect(await head.text()).toBe('');
  });

  it('puts a Content-Security-Policy, nosniff and Referrer-Policy on HTML pages', async () => {
    const response = await SELF.fetch(`${ORIGIN}/`);
    await response.arrayBuffer();
    const csp = response.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toMatch(/script-src/);
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Referrer-Policy')).toBeTruthy();
  });

  it('sends Access-Control-Allow-Origin: * on feeds, OPML and /feeds.json', async () => {
    for (const path of ['/rss.xml', '/topics/cloud/feed.json', '/opml.xml', '/feeds.json']) {
      const response = await SELF.fetch(`${ORIGIN}${path}`, {
        headers: { Origin: 'https://reader.example' },
      });
      await response.arrayBuffer();
      expect(response.headers.get('Access-Control-Allow-Origin'), path).toBe('*');
      expect(response.headers.get('Access-Control-Expose-Headers'), path).toContain('ETag');
    }
  });

  it('sends no CORS header on HTML pages', async () => {
    const response = await SELF.fetch(`${ORIGIN}/topics/ai/`, {
      headers: { Origin: 'https://reader.example' },
    });
    await response.arrayBuffer();
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });

  it.each([
    '/rss.xml',
    '/atom.xml',
    '/feed.json',
    '/topics/ai/rss.xml',
    '/providers/news.example.org/feed.json',
  ])(
    'advertises the hub and its own URL on the subscription document %s (W3C WebSub §4)',
    async (path) => {
      const response = await SELF.fetch(`${ORIGIN}${path}`);
      await response.arrayBuffer();
      expect(response.headers.get('Link')).toBe(
        `<${build.record.hubUrl}>; rel="hub", <${build.record.siteUrl}${path}>; rel="self"`,
      );
    },
  );

  it('advertises the hub the pointer names now, even for a build it has served before', async () => {
    const path = '/topics/cloud/atom.xml';
    const linkOf = async () => {
      const response = await SELF.fetch(`${ORIGIN}${path}`);
      await response.arrayBuffer();
      return response.headers.get('Link');
    };
    expect(await linkOf()).toContain(`<${build.record.hubUrl}>; rel="hub"`);
    const moved = { ...build.record, hubUrl: 'https://hub.example/websub' };
    await loadBuild(env.FEEDS, { record: moved, values: [] });
    try {
      expect(await linkOf()).toContain('<https://hub.example/websub>; rel="hub"');
    } finally {
      await loadBuild(env.FEEDS, build);
    }
  });

  it.each(['/', '/topics/ai/', '/opml.xml', '/feeds.json', '/style.css'])(
    'sends no WebSub Link on %s, which is not a subscription document',
    async (path) => {
      const response = await SELF.fetch(`${ORIGIN}${path}`);
      await response.arrayBuffer();
      expect(response.status).toBe(200);
      expect(response.headers.get('Link')).toBeNull();
    },
  );

  it('exposes ETag, Link and X-Build-Id to cross-origin readers', async () => {
    const response = await SELF.fetch(`${ORIGIN}/feed.json`, {
      headers: { Origin: 'https://reader.example' },
    });
    await response.arrayBuffer();
    expect(response.headers.get('Access-Control-Expose-Headers')).toBe('ETag, Link, X-Build-Id');
  });

  it('serves one document under any percent-encoding of its path', async () => {
    const response = await SELF.fetch(`${ORIGIN}/topics/%61i/rss%2Exml`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(documentOf(build, '/topics/ai/rss.xml').body);
  });
});
