import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadBundle } from './support/load-bundle.ts';

// The bundle the real build made from tests/fixtures/site (tests/support/provide-bundle.ts).
const ORIGIN = 'https://feeds.test';
const entries = inject('bundleEntries');
const documents = entries.flatMap((entry) =>
  entry.key.startsWith('doc:') && entry.metadata !== undefined
    ? [{ path: entry.key.slice('doc:'.length), value: entry.value, metadata: entry.metadata }]
    : [],
);

beforeAll(async () => {
  await loadBundle(env.FEEDS, entries);
});

describe('the bundle built from tests/fixtures/site', () => {
  it('holds the site feeds, both topics and both providers', () => {
    const paths = documents.map((document) => document.path);
    for (const path of [
      '/',
      '/rss.xml',
      '/atom.xml',
      '/feed.json',
      '/opml.xml',
      '/feeds.json',
      '/topics/ai/rss.xml',
      '/topics/cloud/',
      '/providers/example.com/atom.xml',
      '/providers/news.example.org/feed.json',
    ]) {
      expect(paths).toContain(path);
    }
  });

  it.each(documents.map((document) => [document.path, document] as const))(
    'serves %s with its stored bytes, Content-Type, ETag and Last-Modified',
    async (path, document) => {
      const response = await SELF.fetch(`${ORIGIN}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Type')).toBe(document.metadata.contentType);
      expect(response.headers.get('ETag')).toBe(document.metadata.etag);
      expect(response.headers.get('Last-Modified')).toBe(document.metadata.lastModified);
      expect(await response.text()).toBe(document.value);
    },
  );

  it('never serves the secured value or an unpublished article', async () => {
    for (const { path } of documents) {
      const body = await (await SELF.fetch(`${ORIGIN}${path}`)).text();
      expect(body, path).not.toContain('FIXTURE-SECRET');
      expect(body, path).not.toContain('must never be served');
    }
  });
});
