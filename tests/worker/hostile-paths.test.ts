import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadBuild } from './support/load-build.ts';

const ORIGIN = 'https://feeds.test';

beforeAll(async () => {
  await loadBuild(env.FEEDS, inject('fixtureBuild'));
  await env.FEEDS.put('secret', 'not a document');
  await env.FEEDS.put('c:not-a-document', 'not a document');
});

describe('hostile paths never answer 500 or leak anything', () => {
  it.each([
    ['encoded dot-dot-slash', '/topics/%2e%2e%2fmeta:build'],
    ['dot-dot then encoded slash', '/topics/..%2fsecret'],
    ['encoded dot-dot-slash at the root', '/%2e%2e%2f%2e%2e%2fsecret'],
    ['NUL byte', '/rss.xml%00'],
    ['NUL byte in a topic', '/topics/ai%00/rss.xml'],
    ['overlong UTF-8 slash', '/topics/%c0%af/rss.xml'],
    ['overlong UTF-8 dot-dot', '/%c0%ae%c0%ae/secret'],
    ['lone percent', '/topics/%/rss.xml'],
    ['invalid UTF-8', '/topics/%ff%fe/rss.xml'],
    ['meta key as a path', '/meta:build'],
    ['the pointer key as a path', '/meta:current'],
    ['a content key as a path', '/c:not-a-document'],
    ['the edge-cache key of a body', '/.edgefeed/content/not-a-document'],
    ['backslashes', '/topics\\..\\..\\secret'],
    ['control characters', '/topics/%0d%0aSet-Cookie:%20x=1/rss.xml'],
  ])('answers %s (%s) with a 4xx and no stack trace', async (_name, path) => {
    const response = await SELF.fetch(`${ORIGIN}${path}`, { headers: { Accept: 'text/html' } });
    const body = await response.text();
    expect(response.status, path).toBeGreaterThanOrEqual(400);
    expect(response.status, path).toBeLessThan(500);
    expect(body).not.toMatch(/\bat .+:\d+:\d+|Error:/);
    expect(body).not.toContain('not a document');
    expect(body).not.toContain('hand-built');
    expect(response.headers.get('Set-Cookie')).toBeNull();
  });

  it('answers a 16 KB path with a 404 and a short message', async () => {
    const path = `/topics/${'a'.repeat(16 * 1024)}/rss.xml`;
    const response = await SELF.fetch(`${ORIGIN}${path}`);
    const body = await response.text();
    expect(response.status).toBe(404);
    expect(body.length).toBeLessThan(1024);
  });

  it('answers a 16 KB path of encoded bytes with a 4xx', async () => {
    const response = await SELF.fetch(`${ORIGIN}/${'%c0%af'.repeat(2800)}`);
    await response.arrayBuffer();
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });

  it('answers a query string it does not use with the document', async () => {
    const response = await SELF.fetch(`${ORIGIN}/rss.xml?<script>=1&x=%00`);
    await response.arrayBuffer();
    expect(response.status).toBe(200);
  });
});
