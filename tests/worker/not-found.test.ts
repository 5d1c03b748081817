import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadBuild } from './support/load-build.ts';

const ORIGIN = 'https://feeds.test';
const BROWSER = { Accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

beforeAll(async () => {
  await loadBuild(env.FEEDS, inject('fixtureBuild'));
});

async function problemAt(path: string) {
  const response = await SELF.fetch(`${ORIGIN}${path}`, {
    headers: { Accept: 'application/json' },
  });
  expect(response.status).toBe(404);
  expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
  const body: unknown = await response.json();
  return body;
}

describe('404 says what was not found', () => {
  it('names an unknown topic', async () => {
    expect(await problemAt('/topics/gardening/rss.xml')).toMatchObject({
      status: 404,
      error: 'unknown-topic',
      message: expect.stringContaining('"gardening"'),
      index: '/',
    });
  });

  it('names an unknown topic for its page too', async () => {
    expect(await problemAt('/topics/gardening/')).toMatchObject({ error: 'unknown-topic' });
  });

  it('names an unknown provider', async () => {
    expect(await problemAt('/providers/nowhere.example/atom.xml')).toMatchObject({
      error: 'unknown-provider',
      message: expect.stringContaining('"nowhere.example"'),
    });
  });

  it('names an unknown format of a known topic and lists the formats', async () => {
    expect(await problemAt('/topics/ai/index.rdf')).toMatchObject({
      error: 'unknown-format',
      message: expect.stringMatching(/"index\.rdf".*rss\.xml, atom\.xml, feed\.json/),
    });
  });

  it('names an unknown site format', async () => {
    expect(await problemAt('/feed.xml')).toMatchObject({
      error: 'unknown-format',
      message: expect.stringContaining('/rss.xml'),
    });
  });

  it('says nothing is published at any other path', async () => {
    expect(await problemAt('/wp-admin/index.php')).toMatchObject({
      error: 'not-found',
      message: expect.stringContaining('/wp-admin/index.php'),
    });
  });

  it('answers a browser in HTML with a link back to the index', async () => {
    const response = await SELF.fetch(`${ORIGIN}/topics/gardening/`, { headers: BROWSER });
    expect(response.status).toBe(404);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Vary')).toContain('Accept');
    const html = await response.text();
    expect(html).toContain('There is no topic &quot;gardening&quot;');
    expect(html).toContain('<a href="/">');
  });

  it('puts the HTML security headers on an HTML 404', async () => {
    const response = await SELF.fetch(`${ORIGIN}/nope`, { headers: BROWSER });
    await response.arrayBuffer();
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Referrer-Policy')).toBeTruthy();
  });

  it('escapes user input in the HTML 404', async () => {
    const response = await SELF.fetch(
      `${ORIGIN}/topics/%3Cscript%3Ealert(1)%3C%2Fscript%3E/rss.xml`,
      {
        headers: BROWSER,
      },
    );
    expect(response.status).toBe(404);
    const html = await response.text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('answers JSON when Accept does not ask for HTML', async () => {
    const response = await SELF.fetch(`${ORIGIN}/nope`);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    await response.arrayBuffer();
  });

  it('keeps CORS on a missing feed so a cross-origin reader can read the 404', async () => {
    const response = await SELF.fetch(`${ORIGIN}/topics/gardening/feed.json`);
    await response.arrayBuffer();
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
  });
});
