import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { documentsOf } from './support/build-documents.ts';
import { loadBuild } from './support/load-build.ts';

// The build the real compile made from tests/fixtures/site (tests/support/provide-bundle.ts).
const ORIGIN = 'https://feeds.test';
const build = inject('fixtureBuild');
const documents = documentsOf(build);

beforeAll(async () => {
  await loadBuild(env.FEEDS, build);
});

describe('the build made from tests/fixtures/site', () => {
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
    'serves %s with its stored bytes, Content-Type, ETag, Last-Modified and build id',
    async (path, document) => {
      const response = await SELF.fetch(`${ORIGIN}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('Content-Type')).toBe(document.contentType);
      expect(response.headers.get('ETag')).toBe(document.etag);
      expect(response.headers.get('Last-Modified')).toBe(document.lastModified);
      expect(response.headers.get('X-Build-Id')).toBe(build.record.buildId);
      expect(await response.text()).toBe(document.body);
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
