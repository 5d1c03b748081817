import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { app } from '../../src/worker/app.ts';
import { documentOf } from './support/build-documents.ts';
import { loadBuild } from './support/load-build.ts';

// Every response names the one build it came from (DESIGN.md): documents, pages and every
// other kind of answer the worker gives.

const ORIGIN = 'https://feeds.test';
const build = inject('fixtureBuild');

beforeAll(async () => {
  await loadBuild(env.FEEDS, build);
});

describe('X-Build-Id on every response', () => {
  it.each([
    ['a feed', 'GET', '/rss.xml', {}, 200],
    ['an HTML page', 'GET', '/topics/ai/', {}, 200],
    ['a HEAD', 'HEAD', '/atom.xml', {}, 200],
    ['a 304', 'GET', '/feed.json', { 'If-None-Match': documentOf(build, '/feed.json').etag }, 304],
    ['a 301 redirect', 'GET', '/feed', {}, 301],
    ['a 404 for a path the build lacks', 'GET', '/topics/gardening/rss.xml', {}, 404],
    ['an HTML 404', 'GET', '/nowhere', { Accept: 'text/html' }, 404],
    ['a 404 for a path that can never be a document', 'GET', '/a//b', {}, 404],
    ['a 405', 'POST', '/rss.xml', {}, 405],
    ['an OPTIONS', 'OPTIONS', '/rss.xml', {}, 204],
    ['/healthz', 'GET', '/healthz', {}, 200],
  ] as const)('names the build on %s', async (_name, method, path, headers, status) => {
    const response = await SELF.fetch(`${ORIGIN}${path}`, { method, headers, redirect: 'manual' });
    await response.arrayBuffer();
    expect(response.status).toBe(status);
    expect(response.headers.get('X-Build-Id')).toBe(build.record.buildId);
  });

  it('says none on a 503 when no build can be served', async () => {
    const ctx = createExecutionContext();
    const response = await app.request(`${ORIGIN}/rss.xml`, {}, { FEED_MAX_AGE: '300' }, ctx);
    await response.arrayBuffer();
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(503);
    expect(response.headers.get('X-Build-Id')).toBe('none');
  });

  it('sends one X-Build-Id, never two', async () => {
    const response = await SELF.fetch(`${ORIGIN}/healthz`);
    await response.arrayBuffer();
    expect(response.headers.get('X-Build-Id')).not.toContain(',');
  });
});
