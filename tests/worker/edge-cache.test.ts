import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { app } from '../../src/worker/app.ts';
import { countKvReads } from './support/count-kv-reads.ts';
import { loadBundle } from './support/load-bundle.ts';

// The worker runs against the real local FEEDS namespace, seen through a proxy that logs
// every call before forwarding it. Each test uses its own host, so its edge cache starts
// cold (entries are keyed by the canonical URL, host included).

beforeAll(async () => {
  await loadBundle(env.FEEDS, inject('bundleEntries'));
});

let hosts = 0;
function coldOrigin(): string {
  hosts += 1;
  return `https://edge-${hosts}.test`;
}

async function request(url: string, init: RequestInit = {}) {
  const counted = countKvReads(env.FEEDS);
  const ctx = createExecutionContext();
  const response = await app.request(url, init, { ...env, FEEDS: counted.namespace }, ctx);
  const body = await response.text();
  await waitOnExecutionContext(ctx); // the cache write (waitUntil) has finished
  return { response, body, kvCalls: counted.calls };
}

describe('Workers Cache API in front of KV', () => {
  it('costs one KV read on a cache miss: getWithMetadata of the document', async () => {
    const origin = coldOrigin();
    const { response, kvCalls } = await request(`${origin}/rss.xml`);
    expect(response.status).toBe(200);
    expect(kvCalls).toEqual(['getWithMetadata doc:/rss.xml']);
  });

  it('costs no KV read on a cache hit, and serves the same bytes and headers', async () => {
    const origin = coldOrigin();
    const miss = await request(`${origin}/topics/ai/feed.json`);
    const hit = await request(`${origin}/topics/ai/feed.json`);
    expect(hit.kvCalls).toEqual([]);
    expect(hit.response.status).toBe(200);
    expect(hit.body).toBe(miss.body);
    for (const name of [
      'Content-Type',
      'ETag',
      'Last-Modified',
      'Cache-Control',
      'Vary',
      'Access-Control-Allow-Origin',
    ]) {
      expect(hit.response.headers.get(name), name).toBe(miss.response.headers.get(name));
    }
  });

  it('answers a conditional GET with 304 from the cache without a KV read', async () => {
    const origin = coldOrigin();
    const miss = await request(`${origin}/atom.xml`);
    const etag = miss.response.headers.get('ETag') ?? '';
    const revalidation = await request(`${origin}/atom.xml`, {
      headers: { 'If-None-Match': etag },
    });
    expect(revalidation.response.status).toBe(304);
    expect(revalidation.body).toBe('');
    expect(revalidation.kvCalls).toEqual([]);
  });

  it('answers a conditional GET with 304 on a cache miss with one KV read, and fills the cache', async () => {
    const origin = coldOrigin();
    const etag = inject('bundleEntries').find((entry) => entry.key === 'doc:/opml.xml')?.metadata
      ?.etag;
    const first = await request(`${origin}/opml.xml`, { headers: { 'If-None-Match': etag ?? '' } });
    expect(first.response.status).toBe(304);
    expect(first.kvCalls).toEqual(['getWithMetadata doc:/opml.xml']);
    const after = await request(`${origin}/opml.xml`);
    expect(after.response.status).toBe(200);
    expect(after.kvCalls).toEqual([]);
  });

  it('shares one cache entry between every spelling of a path', async () => {
    const origin = coldOrigin();
    await request(`${origin}/topics/ai/rss.xml`);
    const other = await request(`${origin}/topics/%61i/rss%2Exml`);
    expect(other.response.status).toBe(200);
    expect(other.kvCalls).toEqual([]);
  });

  it('answers HEAD from the entry a GET stored, without a KV read', async () => {
    const origin = coldOrigin();
    await request(`${origin}/providers/example.com/atom.xml`);
    const head = await request(`${origin}/providers/example.com/atom.xml`, { method: 'HEAD' });
    expect(head.response.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.kvCalls).toEqual([]);
  });

  it('costs two KV reads for a missing document: the document, then meta:build to tell 404 from 503', async () => {
    const origin = coldOrigin();
    const { response, kvCalls } = await request(`${origin}/topics/gardening/rss.xml`);
    expect(response.status).toBe(404);
    expect(kvCalls).toEqual(['getWithMetadata doc:/topics/gardening/rss.xml', 'get meta:build']);
  });

  it('costs no KV read for a redirect or a path that can never be a document', async () => {
    const origin = coldOrigin();
    for (const path of ['/feed', '/topics/ai', '/%c0%af', '/a//b']) {
      const { response, kvCalls } = await request(`${origin}${path}`);
      expect(response.status, path).toBeLessThan(500);
      expect(kvCalls, path).toEqual([]);
    }
  });

  it('costs one KV read for /healthz, which is never cached', async () => {
    const origin = coldOrigin();
    await request(`${origin}/healthz`);
    const { response, kvCalls } = await request(`${origin}/healthz`);
    expect(response.status).toBe(200);
    expect(kvCalls).toEqual(['get meta:build']);
  });
});
