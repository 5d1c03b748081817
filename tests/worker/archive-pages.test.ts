import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { isArchivePath } from '../../src/core/document-paths.ts';
import { documentsOf } from './support/build-documents.ts';
import { loadBuild } from './support/load-build.ts';

// Sealed RFC 5005 archive pages (`{feed}/archive/{k}/…`): their bytes never change once
// published, so they are cached for a year and `immutable` (RFC 8246), and otherwise
// behave like any document.

const ORIGIN = 'https://feeds.test';
const build = inject('pagedBuild');
const archives = documentsOf(build).filter((document) => isArchivePath(document.path));
const IMMUTABLE = 'public, max-age=31536000, immutable';

beforeAll(async () => {
  await loadBuild(env.FEEDS, build);
});

describe('archive pages', () => {
  it('are in the paged build: each format, for the site and a topic', () => {
    const paths = archives.map((document) => document.path);
    for (const path of [
      '/archive/1/rss.xml',
      '/archive/1/atom.xml',
      '/archive/1/feed.json',
      '/topics/ai/archive/1/rss.xml',
    ]) {
      expect(paths).toContain(path);
    }
    // An archive page's HTML page is no sealed document: its "newer" link moves.
    expect(paths).not.toContain('/archive/1/');
  });

  it('serves the archive HTML page like any page, since it changes when the next page is sealed', async () => {
    const response = await SELF.fetch(`${ORIGIN}/topics/ai/archive/1/`);
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(response.headers.get('Cache-Control')).toBe(
      `public, max-age=${env.FEED_MAX_AGE}, stale-while-revalidate=3600`,
    );
  });

  it.each(archives.map((document) => [document.path, document] as const))(
    'serves %s with its bytes and Cache-Control: immutable for a year',
    async (path, document) => {
      const response = await SELF.fetch(`${ORIGIN}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('Cache-Control')).toBe(IMMUTABLE);
      expect(response.headers.get('Content-Type')).toBe(document.contentType);
      expect(response.headers.get('ETag')).toBe(document.etag);
      expect(await response.text()).toBe(document.body);
    },
  );

  it('answers 304 to If-None-Match and to If-Modified-Since, with the immutable Cache-Control', async () => {
    const [document] = archives;
    if (document === undefined) throw new Error('the paged build has no archive page');
    const conditions: Record<string, string>[] = [
      { 'If-None-Match': document.etag },
      { 'If-Modified-Since': document.lastModified },
    ];
    for (const headers of conditions) {
      const response = await SELF.fetch(`${ORIGIN}${document.path}`, { headers });
      expect(response.status).toBe(304);
      expect(await response.text()).toBe('');
      expect(response.headers.get('Cache-Control')).toBe(IMMUTABLE);
      expect(response.headers.get('ETag')).toBe(document.etag);
    }
  });

  it('opens archive feeds to other origins, but not the archive HTML page', async () => {
    for (const [path, cors] of [
      ['/topics/ai/archive/1/rss.xml', '*'],
      ['/archive/1/feed.json', '*'],
      ['/archive/1/', null],
    ] as const) {
      const response = await SELF.fetch(`${ORIGIN}${path}`, {
        headers: { Origin: 'https://reader.example' },
      });
      await response.arrayBuffer();
      expect(response.headers.get('Access-Control-Allow-Origin'), path).toBe(cors);
    }
  });

  it('puts the HTML security headers on the archive HTML page', async () => {
    const response = await SELF.fetch(`${ORIGIN}/topics/ai/archive/1/`);
    await response.arrayBuffer();
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('advertises no WebSub hub on archive feeds: only subscription documents are subscribed to', async () => {
    const archive = await SELF.fetch(`${ORIGIN}/archive/1/atom.xml`);
    await archive.arrayBuffer();
    expect(archive.headers.get('Link')).toBeNull();
    const subscription = await SELF.fetch(`${ORIGIN}/atom.xml`);
    await subscription.arrayBuffer();
    expect(subscription.headers.get('Link')).toContain('rel="hub"');
  });

  it('keeps the short Cache-Control on the subscription documents of the same build', async () => {
    const response = await SELF.fetch(`${ORIGIN}/topics/ai/rss.xml`);
    await response.arrayBuffer();
    expect(response.headers.get('Cache-Control')).toBe(
      `public, max-age=${env.FEED_MAX_AGE}, stale-while-revalidate=3600`,
    );
  });

  it('answers a missing archive page with a 404 that caches keep one minute, not a year', async () => {
    const response = await SELF.fetch(`${ORIGIN}/topics/ai/archive/99/rss.xml`);
    await response.arrayBuffer();
    expect(response.status).toBe(404);
    expect(response.headers.get('Cache-Control')).toBe('public, max-age=60');
  });
});
