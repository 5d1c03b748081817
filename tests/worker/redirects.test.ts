import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadBuild } from './support/load-build.ts';

const ORIGIN = 'https://feeds.test';

beforeAll(async () => {
  await loadBuild(env.FEEDS, inject('fixtureBuild'));
});

async function locationOf(path: string): Promise<string | null> {
  const response = await SELF.fetch(`${ORIGIN}${path}`, { redirect: 'manual' });
  await response.arrayBuffer();
  expect(response.status, path).toBe(301);
  return response.headers.get('Location');
}

describe('301 to the canonical URL (RFC 9110 §15.4.2)', () => {
  it.each([
    ['/feed', '/rss.xml'],
    ['/rss', '/rss.xml'],
    ['/atom', '/atom.xml'],
    ['/index.xml', '/rss.xml'],
  ])('redirects the alias %s to %s', async (alias, target) => {
    expect(await locationOf(alias)).toBe(target);
  });

  it('redirects /topics/{slug} to its trailing-slash page', async () => {
    expect(await locationOf('/topics/ai')).toBe('/topics/ai/');
  });

  it('redirects /providers/{domain} to its trailing-slash page', async () => {
    expect(await locationOf('/providers/example.com')).toBe('/providers/example.com/');
  });

  it('redirects /topics/{slug}/feed to the topic RSS feed', async () => {
    expect(await locationOf('/topics/ai/feed')).toBe('/topics/ai/rss.xml');
  });

  it('redirects a provider domain in upper case to lower case', async () => {
    expect(await locationOf('/providers/Example.COM/rss.xml')).toBe(
      '/providers/example.com/rss.xml',
    );
    expect(await locationOf('/providers/EXAMPLE.COM/')).toBe('/providers/example.com/');
    expect(await locationOf('/providers/EXAMPLE.COM')).toBe('/providers/example.com/');
  });

  it('redirects HEAD like GET', async () => {
    const response = await SELF.fetch(`${ORIGIN}/feed`, { method: 'HEAD', redirect: 'manual' });
    expect(response.status).toBe(301);
    expect(response.headers.get('Location')).toBe('/rss.xml');
  });
});

describe('never an open redirect', () => {
  it.each([
    '//evil.com',
    '//evil.com/feed',
    '/%2F%2Fevil.com',
    '/%2Fevil.com/feed',
    '/\\evil.com',
    '/topics//evil.com',
    '/providers/%2F%2Fevil.com',
    '/providers/%2F%2FEVIL.COM',
    '/topics/%2F%2Fevil.com',
    '/providers/EVIL.COM/%2e%2e',
    '/https:%2F%2Fevil.com',
  ])('never sends %s to another origin', async (path) => {
    const response = await SELF.fetch(`${ORIGIN}${path}`, { redirect: 'manual' });
    await response.arrayBuffer();
    expect(response.status, path).toBeLessThan(500);
    const location = response.headers.get('Location');
    if (location !== null) {
      expect(location.startsWith('/'), location).toBe(true);
      expect(location.startsWith('//'), location).toBe(false);
      expect(location.includes('\\'), location).toBe(false);
      expect(new URL(location, ORIGIN).origin, location).toBe(ORIGIN);
    }
  });
});
