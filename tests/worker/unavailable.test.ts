import { createExecutionContext, env, SELF, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import type { BuildRecord } from '../../src/core/build-record.ts';
import { contentKey, POINTER_KEY } from '../../src/core/store-keys.ts';
import { app } from '../../src/worker/app.ts';
import type { WorkerBindings } from '../../src/worker/bindings.ts';
import { documentOf } from './support/build-documents.ts';
import { loadBuild } from './support/load-build.ts';

// The FEEDS namespace starts empty in this file. Each test uses its own host, so nothing
// another test left in the edge cache can answer for it.
let hosts = 0;
const origin = () => `https://empty-${++hosts}.test`;

afterEach(async () => {
  vi.restoreAllMocks();
  await env.FEEDS.delete(POINTER_KEY);
});

async function send(url: string, init: RequestInit = {}, bindings: WorkerBindings = env) {
  const ctx = createExecutionContext();
  const response = await app.request(url, init, bindings, ctx);
  const body = await response.text();
  await waitOnExecutionContext(ctx);
  return { response, body };
}

describe('503 when no build is loaded', () => {
  it('answers 503 with a reason, Retry-After and X-Build-Id: none for a feed', async () => {
    const response = await SELF.fetch(`${origin()}/rss.xml`);
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('60');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('X-Build-Id')).toBe('none');
    expect(await response.json()).toMatchObject({
      status: 503,
      error: 'no-build-loaded',
      message: expect.stringContaining('No build is loaded'),
    });
  });

  it('answers 503, not 404, for an unknown topic when no build is loaded', async () => {
    const response = await SELF.fetch(`${origin()}/topics/anything/rss.xml`);
    await response.arrayBuffer();
    expect(response.status).toBe(503);
  });

  it('answers 503 in HTML for a browser', async () => {
    const response = await SELF.fetch(`${origin()}/`, { headers: { Accept: 'text/html' } });
    expect(response.status).toBe(503);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('No build is loaded');
  });

  it('answers /healthz with 503, Retry-After and the reason', async () => {
    const response = await SELF.fetch(`${origin()}/healthz`);
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('60');
    expect(response.headers.get('X-Build-Id')).toBe('none');
    expect(await response.json()).toMatchObject({ error: 'no-build-loaded' });
  });

  it.each([
    ['not JSON', '{', 'is not JSON'],
    ['not a pointer', '{"version":1,"current":7}', 'does not match the pointer schema'],
    [
      'naming a build it does not keep',
      '{"version":1,"current":"0123456789abcdef","builds":[]}',
      'names a build it does not keep',
    ],
  ])('answers 503 when the pointer is %s', async (_name, value, reason) => {
    await env.FEEDS.put(POINTER_KEY, value);
    for (const path of ['/healthz', '/atom.xml']) {
      const { response, body } = await send(`${origin()}${path}`);
      expect(response.status, path).toBe(503);
      expect(response.headers.get('X-Build-Id'), path).toBe('none');
      expect(JSON.parse(body), path).toMatchObject({
        error: 'build-pointer-invalid',
        message: expect.stringContaining(reason),
      });
    }
  });
});

describe('503 when the build served is incomplete (a deploy switched too early)', () => {
  const fixture = inject('fixtureBuild');

  it('answers 503 build-incomplete when a manifest shard is missing, and logs the path', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    // A build whose one shard was never uploaded; its hash is not one any test has read.
    const record: BuildRecord = {
      ...fixture.record,
      buildId: '00000000000000bb',
      shards: ['AAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    };
    await loadBuild(env.FEEDS, { record, values: [] });
    const { response, body } = await send(`${origin()}/topics/ai/rss.xml`);
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('60');
    expect(response.headers.get('X-Build-Id')).toBe('00000000000000bb');
    expect(JSON.parse(body)).toMatchObject({ status: 503, error: 'build-incomplete' });
    expect(body).not.toMatch(/BrokenBuildError|m:AAAA|\bat /);
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(/503 for GET \/topics\/ai\/rss\.xml: .*m:AAAAAAAAAAAAAAAAAAAAAAAAAAA/),
    );
  });

  it('answers 503 build-incomplete, never 404, when a document body is missing', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    await loadBuild(env.FEEDS, fixture);
    const missing = documentOf(fixture, '/providers/example.com/feed.json');
    await env.FEEDS.delete(contentKey(missing.hash));
    const { response, body } = await send(`${origin()}/providers/example.com/feed.json`, {
      headers: { Accept: 'text/html' },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(body).toContain('The build being served is incomplete');
    expect(log).toHaveBeenCalledWith(expect.stringContaining(contentKey(missing.hash)));
    // Another document of the same build is still served.
    expect((await send(`${origin()}/rss.xml`)).response.status).toBe(200);
  });
});

describe('503 when the FEEDS binding is missing or does not answer', () => {
  const withoutBinding = { FEED_MAX_AGE: env.FEED_MAX_AGE };

  it('answers 503 naming the missing binding for a document', async () => {
    const { response, body } = await send(`${origin()}/atom.xml`, {}, withoutBinding);
    expect(response.status).toBe(503);
    expect(response.headers.get('X-Build-Id')).toBe('none');
    expect(JSON.parse(body)).toMatchObject({
      error: 'kv-binding-missing',
      message: expect.stringContaining('FEEDS KV namespace is not bound'),
    });
  });

  it('answers /healthz with 503 naming the missing binding', async () => {
    const { response, body } = await send(`${origin()}/healthz`, {}, withoutBinding);
    expect(response.status).toBe(503);
    expect(JSON.parse(body)).toMatchObject({ error: 'kv-binding-missing' });
  });

  it('answers 503 store-unavailable, not 500, when KV fails to answer for a body', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const fixture = inject('fixtureBuild');
    await loadBuild(env.FEEDS, fixture);
    const failing = new Proxy(env.FEEDS, {
      get(target, property) {
        const member: unknown = Reflect.get(target, property);
        if (property !== 'get' || typeof member !== 'function') return member;
        return (key: string, ...rest: unknown[]) =>
          key.startsWith('c:')
            ? Promise.reject(new Error('KV GET failed: 429'))
            : Reflect.apply(member, target, [key, ...rest]);
      },
    });
    const { response, body } = await send(`${origin()}/atom.xml`, {}, { ...env, FEEDS: failing });
    expect(response.status).toBe(503);
    expect(response.headers.get('X-Build-Id')).toBe(fixture.record.buildId);
    expect(JSON.parse(body)).toMatchObject({ error: 'store-unavailable' });
    expect(log).toHaveBeenCalledWith(expect.stringContaining('503 for GET /atom.xml'));
  });

  it('answers 503 store-unavailable, not 500, when KV fails to answer for the pointer', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const failing = new Proxy(env.FEEDS, {
      get(target, property) {
        if (property === 'get') return () => Promise.reject(new Error('KV GET failed: 503'));
        return Reflect.get(target, property);
      },
    });
    const { response, body } = await send(`${origin()}/rss.xml`, {}, { ...env, FEEDS: failing });
    expect(response.status).toBe(503);
    expect(response.headers.get('Retry-After')).toBe('60');
    expect(JSON.parse(body)).toMatchObject({ error: 'store-unavailable' });
    expect(body).not.toContain('KV GET failed');
    expect(log).toHaveBeenCalled();
  });
});
