import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { app } from '../../src/worker/app.ts';

// No bundle is loaded in this file: the FEEDS namespace is empty. Its own host keeps it
// clear of anything another file left in the edge cache.
const ORIGIN = 'https://empty.test';

describe('503 when no bundle is loaded', () => {
  it('answers 503 with a reason for a feed when the namespace is empty', async () => {
    const response = await SELF.fetch(`${ORIGIN}/rss.xml`);
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('60');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(await response.json()).toMatchObject({
      status: 503,
      error: 'bundle-not-loaded',
      message: expect.stringContaining('No feed bundle is loaded'),
    });
  });

  it('answers 503, not 404, for an unknown topic when the namespace is empty', async () => {
    const response = await SELF.fetch(`${ORIGIN}/topics/anything/rss.xml`);
    await response.arrayBuffer();
    expect(response.status).toBe(503);
  });

  it('answers 503 in HTML for a browser', async () => {
    const response = await SELF.fetch(`${ORIGIN}/`, { headers: { Accept: 'text/html' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('No feed bundle is loaded');
  });

  it('answers /healthz with 503 and the reason when the namespace is empty', async () => {
    const response = await SELF.fetch(`${ORIGIN}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: 'bundle-not-loaded' });
  });

  it('answers 503 when meta:build is not a valid build record', async () => {
    await env.FEEDS.put('meta:build', '{"buildId": 1}');
    const response = await SELF.fetch(`${ORIGIN}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      message: expect.stringContaining('does not match the build record schema'),
    });
    await env.FEEDS.delete('meta:build');
  });
});

describe('503 when the FEEDS binding is missing', () => {
  const withoutBinding = { FEED_MAX_AGE: env.FEED_MAX_AGE };

  it('answers 503 naming the missing binding for a document', async () => {
    const ctx = createExecutionContext();
    const response = await app.request(`${ORIGIN}/atom.xml`, {}, withoutBinding, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      error: 'kv-binding-missing',
      message: expect.stringContaining('FEEDS KV namespace is not bound'),
    });
  });

  it('answers /healthz with 503 naming the missing binding', async () => {
    const response = await app.request(
      `${ORIGIN}/healthz`,
      {},
      withoutBinding,
      createExecutionContext(),
    );
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: 'kv-binding-missing' });
  });
});
