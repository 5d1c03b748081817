import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadBuild } from './support/load-build.ts';

const ORIGIN = 'https://feeds.test';

beforeAll(async () => {
  await loadBuild(env.FEEDS, inject('fixtureBuild'));
});

describe('OPTIONS and CORS preflight (RFC 9110 §9.3.7)', () => {
  it('answers OPTIONS on a feed with 204, Allow and the CORS preflight headers', async () => {
    const response = await SELF.fetch(`${ORIGIN}/topics/ai/rss.xml`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://reader.example',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'if-none-match',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(response.headers.get('Access-Control-Allow-Methods')).toContain('GET');
    expect(response.headers.get('Access-Control-Allow-Headers')).toMatch(/If-None-Match/i);
    expect(response.headers.get('Access-Control-Allow-Headers')).toMatch(/If-Modified-Since/i);
  });

  it.each(['/opml.xml', '/feeds.json', '/feed.json', '/providers/example.com/atom.xml'])(
    'allows any origin in the preflight for %s',
    async (path) => {
      const response = await SELF.fetch(`${ORIGIN}${path}`, { method: 'OPTIONS' });
      expect(response.status).toBe(204);
      expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    },
  );

  it('answers OPTIONS on an HTML page with Allow but no CORS headers', async () => {
    const response = await SELF.fetch(`${ORIGIN}/`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
    expect(response.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('other methods (RFC 9110 §15.5.6)', () => {
  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])(
    'answers %s with 405 and Allow: GET, HEAD, OPTIONS',
    async (method) => {
      const response = await SELF.fetch(`${ORIGIN}/rss.xml`, {
        method,
        body: method === 'DELETE' ? null : 'x',
      });
      expect(response.status).toBe(405);
      expect(response.headers.get('Allow')).toBe('GET, HEAD, OPTIONS');
      const body: unknown = await response.json();
      expect(body).toMatchObject({ status: 405, error: 'method-not-allowed', index: '/' });
    },
  );

  it('answers 405 on /healthz and unknown paths too', async () => {
    for (const path of ['/healthz', '/no/such/thing']) {
      const response = await SELF.fetch(`${ORIGIN}${path}`, { method: 'POST' });
      await response.arrayBuffer();
      expect(response.status, path).toBe(405);
      expect(response.headers.get('Allow'), path).toBe('GET, HEAD, OPTIONS');
    }
  });
});
