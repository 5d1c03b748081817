import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { app } from '../../src/worker/app.ts';
import { contentCacheKey } from '../../src/worker/edge-cache.ts';
import { forgetPointer } from '../../src/worker/store/read-pointer.ts';
import { forgetShards } from '../../src/worker/store/read-shard.ts';
import { documentOf } from './support/build-documents.ts';
import { countKvReads } from './support/count-kv-reads.ts';
import { loadBuild } from './support/load-build.ts';

// What a request costs in KV reads, counted inside workerd against the real local FEEDS
// namespace seen through a proxy that logs every call. The pointer is held as deployed
// (here for an hour, so no test depends on the clock); each test uses its own host, so its
// edge cache starts cold (entries are keyed by origin and content hash).

const build = inject('fixtureBuild');
const [shard] = build.record.shards;

beforeAll(async () => {
  await loadBuild(env.FEEDS, build);
});

beforeEach(() => {
  forgetPointer();
});

let hosts = 0;
function coldOrigin(): string {
  hosts += 1;
  return `https://edge-${hosts}.test`;
}

async function request(url: string, init: RequestInit = {}) {
  const counted = countKvReads(env.FEEDS);
  const ctx = createExecutionContext();
  const bindings = { ...env, FEEDS: counted.namespace, BUILD_POINTER_SECONDS: '3600' };
  const response = await app.request(url, init, bindings, ctx);
  const body = await response.text();
  await waitOnExecutionContext(ctx); // the cache write (waitUntil) has finished
  return { response, body, kvCalls: counted.calls };
}

/** Makes this isolate hold the pointer and the fixture's one shard, as a busy one does. */
async function warmIsolate(): Promise<void> {
  const { response } = await request(`${coldOrigin()}/topics/not-a-topic/rss.xml`);
  expect(response.status).toBe(404);
}

describe('KV reads per request, in a new isolate', () => {
  it('reads the pointer, the shard, then the body on an edge-cache miss', async () => {
    forgetShards();
    const { response, kvCalls } = await request(`${coldOrigin()}/rss.xml`);
    expect(response.status).toBe(200);
    expect(kvCalls).toEqual([
      'get meta:current',
      `get m:${shard}`,
      `get c:${documentOf(build, '/rss.xml').hash}`,
    ]);
  });

  it('reads only the pointer for a redirect, OPTIONS, a 405 or a path that can never be a document', async () => {
    for (const [path, method] of [
      ['/feed', 'GET'],
      ['/rss.xml', 'OPTIONS'],
      ['/rss.xml', 'POST'],
      ['/a//b', 'GET'],
    ] as const) {
      forgetPointer();
      forgetShards();
      const { response, kvCalls } = await request(`${coldOrigin()}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBeLessThan(500);
      expect(kvCalls, `${method} ${path}`).toEqual(['get meta:current']);
    }
  });
});

describe('KV reads per request, in an isolate that holds the pointer and the shard', () => {
  beforeEach(warmIsolate);

  it('costs one KV read on an edge-cache miss: the body, by its content hash', async () => {
    const { response, kvCalls } = await request(`${coldOrigin()}/atom.xml`);
    expect(response.status).toBe(200);
    expect(kvCalls).toEqual([`get c:${documentOf(build, '/atom.xml').hash}`]);
  });

  it('costs no KV read on an edge-cache hit, and serves the same bytes and headers', async () => {
    const origin = coldOrigin();
    const miss = await request(`${origin}/topics/ai/feed.json`);
    const hit = await request(`${origin}/topics/ai/feed.json`);
    expect(hit.kvCalls).toEqual([]);
    expect(hit.response.status).toBe(200);
    expect(hit.body).toBe(miss.body);
    expect([...hit.response.headers]).toEqual([...miss.response.headers]);
  });

  it('answers a conditional GET with 304 from the manifest entry alone, even on a cache miss', async () => {
    const { etag } = documentOf(build, '/opml.xml');
    const origin = coldOrigin();
    const conditional = await request(`${origin}/opml.xml`, { headers: { 'If-None-Match': etag } });
    expect(conditional.response.status).toBe(304);
    expect(conditional.kvCalls).toEqual([]);
    // The body was not read, so the edge cache was not filled either.
    expect(await caches.default.match(contentCacheKey(origin, etag.slice(1, -1)))).toBeUndefined();
  });

  it('answers HEAD without reading the body', async () => {
    const head = await request(`${coldOrigin()}/providers/example.com/atom.xml`, {
      method: 'HEAD',
    });
    expect(head.response.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.response.headers.get('ETag')).toBe(
      documentOf(build, '/providers/example.com/atom.xml').etag,
    );
    expect(head.kvCalls).toEqual([]);
  });

  it('costs no KV read for a path the manifest lacks', async () => {
    const { response, kvCalls } = await request(`${coldOrigin()}/topics/gardening/rss.xml`);
    expect(response.status).toBe(404);
    expect(kvCalls).toEqual([]);
  });

  it('costs no KV read for a redirect, OPTIONS, a 405 or a path that can never be a document', async () => {
    for (const [path, method] of [
      ['/feed', 'GET'],
      ['/topics/ai', 'GET'],
      ['/rss.xml', 'OPTIONS'],
      ['/rss.xml', 'DELETE'],
      ['/%c0%af', 'GET'],
      ['/a//b', 'GET'],
    ] as const) {
      const { response, kvCalls } = await request(`${coldOrigin()}${path}`, { method });
      expect(response.status, `${method} ${path}`).toBeLessThan(500);
      expect(kvCalls, `${method} ${path}`).toEqual([]);
    }
  });

  it('shares one edge-cache entry between every spelling of a path', async () => {
    const origin = coldOrigin();
    await request(`${origin}/topics/ai/rss.xml`);
    const other = await request(`${origin}/topics/%61i/rss%2Exml`);
    expect(other.response.status).toBe(200);
    expect(other.kvCalls).toEqual([]);
  });

  it('keeps bodies in the edge cache under their content hash, never under a path', async () => {
    const origin = coldOrigin();
    const { body } = await request(`${origin}/feed.json`);
    const { hash } = documentOf(build, '/feed.json');
    const entry = await caches.default.match(contentCacheKey(origin, hash));
    expect(await entry?.text()).toBe(body);
    expect(entry?.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(await caches.default.match(`${origin}/feed.json`)).toBeUndefined();
  });

  it('costs one KV read for /healthz, the pointer read afresh, never cached', async () => {
    const origin = coldOrigin();
    await request(`${origin}/healthz`);
    const { response, kvCalls } = await request(`${origin}/healthz`);
    expect(response.status).toBe(200);
    expect(kvCalls).toEqual(['get meta:current']);
  });
});
