import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { app } from '../../src/worker/app.ts';
import { forgetPointer } from '../../src/worker/store/read-pointer.ts';
import { documentOf } from './support/build-documents.ts';
import { countKvReads } from './support/count-kv-reads.ts';
import { loadBuild } from './support/load-build.ts';

// The isolate's memory cache, on (as deployed: MEMORY_CACHE_SECONDS = "10"), with the
// pointer held. The Cache API is watched too, so a test can tell a memory hit from an
// edge-cache hit.

const build = inject('fixtureBuild');

beforeAll(async () => {
  await loadBuild(env.FEEDS, build);
});

beforeEach(() => {
  forgetPointer();
});

let hosts = 0;
const origin = () => `https://memory-${++hosts}.test`;

async function request(url: string, init: RequestInit = {}, seconds = '10') {
  const counted = countKvReads(env.FEEDS);
  const cacheCalls: string[] = [];
  const match = caches.default.match.bind(caches.default);
  caches.default.match = (...args: Parameters<Cache['match']>) => {
    cacheCalls.push('match');
    return match(...args);
  };
  const ctx = createExecutionContext();
  try {
    const response = await app.request(
      url,
      init,
      {
        ...env,
        FEEDS: counted.namespace,
        MEMORY_CACHE_SECONDS: seconds,
        BUILD_POINTER_SECONDS: '3600',
      },
      ctx,
    );
    const body = await response.text();
    await waitOnExecutionContext(ctx);
    return { response, body, kvCalls: counted.calls, cacheCalls };
  } finally {
    caches.default.match = match;
  }
}

describe("the isolate's memory cache", () => {
  it('answers a repeated request from memory: no KV read, no Cache API lookup, same bytes', async () => {
    const o = origin();
    const first = await request(`${o}/rss.xml`);
    const again = await request(`${o}/rss.xml`);
    expect(first.kvCalls).toContain(`get c:${documentOf(build, '/rss.xml').hash}`);
    expect(again.kvCalls).toEqual([]);
    expect(again.cacheCalls).toEqual([]);
    expect(again.response.status).toBe(200);
    expect(again.body).toBe(first.body);
    expect([...again.response.headers]).toEqual([...first.response.headers]);
  });

  it('holds bodies by content hash, so another origin for the same document is a memory hit', async () => {
    await request(`${origin()}/topics/cloud/atom.xml`);
    const elsewhere = await request(`${origin()}/topics/cloud/atom.xml`);
    expect(elsewhere.response.status).toBe(200);
    expect(elsewhere.body).toBe(documentOf(build, '/topics/cloud/atom.xml').body);
    expect(elsewhere.cacheCalls).toEqual([]);
    expect(elsewhere.kvCalls).toEqual([]);
  });

  it('answers a conditional GET with 304 without looking for the body at all (RFC 9110 §13.1.2)', async () => {
    const o = origin();
    const first = await request(`${o}/atom.xml`);
    const etag = first.response.headers.get('ETag') ?? '';
    const conditional = await request(`${o}/atom.xml`, { headers: { 'If-None-Match': etag } });
    expect(conditional.response.status).toBe(304);
    expect(conditional.body).toBe('');
    expect(conditional.cacheCalls).toEqual([]);
    expect(conditional.kvCalls).toEqual([]);
  });

  it('is not used when MEMORY_CACHE_SECONDS is 0', async () => {
    const o = origin();
    await request(`${o}/feed.json`, {}, '0');
    const again = await request(`${o}/feed.json`, {}, '0');
    expect(again.cacheCalls).toEqual(['match']);
  });

  it('serves HEAD with no body and no lookup', async () => {
    const o = origin();
    await request(`${o}/opml.xml`);
    const head = await request(`${o}/opml.xml`, { method: 'HEAD' });
    expect(head.response.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.cacheCalls).toEqual([]);
  });
});
