import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { BuildPointer } from '../../src/core/build-record.ts';
import { POINTER_KEY } from '../../src/core/store-keys.ts';
import { app } from '../../src/worker/app.ts';
import { forgetShards } from '../../src/worker/store/read-shard.ts';
import type { FixtureBuild } from '../support/provided-context.ts';
import { type BuildDocument, documentsOf } from './support/build-documents.ts';
import { loadBuild } from './support/load-build.ts';

// Two builds in one namespace, as after a deploy: A (the fixture site, page size 50) and
// B (the same seeds with page size 1: other bodies on the same paths, and archive pages A
// lacks). Whatever the caches hold, every answer comes whole from the build the pointer
// names, and a switch changes every path at once.

/** A test that crawls every document of a build. */
const CRAWL_TIMEOUT_MS = 30_000;
const ORIGIN = 'https://feeds.test';
const a = inject('fixtureBuild');
const b = inject('pagedBuild');
const documents = new Map([
  [a.record.buildId, byPath(documentsOf(a))],
  [b.record.buildId, byPath(documentsOf(b))],
]);
const paths = [...new Set([...documentsOf(a), ...documentsOf(b)].map((d) => d.path))].sort();

let pointerA: BuildPointer;
let pointerB: BuildPointer;

beforeAll(async () => {
  const loadedB = await loadBuild(env.FEEDS, b, { switchedAt: '2026-01-01T00:00:00.000Z' });
  pointerA = await loadBuild(env.FEEDS, a, {
    switchedAt: '2026-01-02T00:00:00.000Z',
    kept: loadedB.builds,
  });
  pointerB = {
    version: 1,
    current: b.record.buildId,
    builds: [{ ...b.record, switchedAt: '2026-01-03T00:00:00.000Z' }, ...pointerA.builds],
  };
});

beforeEach(async () => {
  await switchTo(pointerA);
});

function byPath(list: BuildDocument[]): Map<string, BuildDocument> {
  return new Map(list.map((document) => [document.path, document]));
}

async function switchTo(pointer: BuildPointer): Promise<void> {
  await env.FEEDS.put(POINTER_KEY, JSON.stringify(pointer));
}

type Answer = {
  path: string;
  status: number;
  buildId: string | null;
  etag: string | null;
  body: string;
};

async function fetchPath(path: string, memorySeconds: string): Promise<Answer> {
  const ctx = createExecutionContext();
  const response = await app.request(
    `${ORIGIN}${path}`,
    {},
    { ...env, MEMORY_CACHE_SECONDS: memorySeconds },
    ctx,
  );
  const body = await response.text();
  await waitOnExecutionContext(ctx);
  const { status, headers } = response;
  return { path, status, buildId: headers.get('X-Build-Id'), etag: headers.get('ETag'), body };
}

/** Every path of both builds, in order; `during` runs after the given number of requests. */
async function crawl(memorySeconds: string, during?: { after: number; run: () => Promise<void> }) {
  const answers: Answer[] = [];
  for (const [index, path] of paths.entries()) {
    if (index === during?.after) await during.run();
    answers.push(await fetchPath(path, memorySeconds));
  }
  return answers;
}

/** The answer is exactly what `build` holds at its path: its bytes and ETag, or a 404. */
function expectFrom(answer: Answer, build: FixtureBuild): void {
  expect(answer.buildId, answer.path).toBe(build.record.buildId);
  const document = documents.get(build.record.buildId)?.get(answer.path);
  if (document === undefined) {
    expect(answer.status, answer.path).toBe(404);
    return;
  }
  expect(answer.status, answer.path).toBe(200);
  expect(answer.etag, answer.path).toBe(document.etag);
  expect(answer.body, answer.path).toBe(document.body);
}

describe('two builds in one namespace', () => {
  it('are two different builds of the same paths, so a mix would show', () => {
    expect(a.record.buildId).not.toBe(b.record.buildId);
    const differing = paths.filter((path) => {
      const inA = documents.get(a.record.buildId)?.get(path);
      const inB = documents.get(b.record.buildId)?.get(path);
      return inA !== undefined && inB !== undefined && inA.hash !== inB.hash;
    });
    expect(differing).toContain('/rss.xml');
    expect(differing.length).toBeGreaterThan(5);
    expect(paths.filter((path) => path.includes('/archive/')).length).toBeGreaterThan(0);
  });

  it.each([
    ['off', '0'],
    ['on', '10'],
  ])(
    'switching the pointer switches every document at once (memory cache %s, edge cache warm)',
    async (_name, memorySeconds) => {
      const before = await crawl(memorySeconds);
      for (const answer of before) expectFrom(answer, a);
      await switchTo(pointerB);
      const after = await crawl(memorySeconds);
      for (const answer of after) expectFrom(answer, b);
      await switchTo(pointerA);
      const back = await crawl(memorySeconds);
      expect(back).toEqual(before);
    },
    // Three crawls of every document (with the ActivityPub actors and outboxes, half as many
    // again): seconds on a busy machine, past vitest's default 5 s.
    CRAWL_TIMEOUT_MS,
  );

  it(
    'answers each request whole from one build when the switch lands mid-crawl',
    async () => {
      const half = Math.floor(paths.length / 2);
      const answers = await crawl('10', { after: half, run: () => switchTo(pointerB) });
      for (const [index, answer] of answers.entries()) expectFrom(answer, index < half ? a : b);
    },
    CRAWL_TIMEOUT_MS,
  );

  it('finishes a request with the build it started with when the pointer switches meanwhile', async () => {
    forgetShards();
    // The switch happens while the request reads its shard, after it has read the pointer.
    const switching = new Proxy(env.FEEDS, {
      get(target, property) {
        const member: unknown = Reflect.get(target, property);
        if (property !== 'get' || typeof member !== 'function') return member;
        return async (key: string, ...rest: unknown[]) => {
          if (key.startsWith('m:')) await switchTo(pointerB);
          return Reflect.apply(member, target, [key, ...rest]);
        };
      },
    });
    const ctx = createExecutionContext();
    const response = await app.request(`${ORIGIN}/rss.xml`, {}, { ...env, FEEDS: switching }, ctx);
    const answer = {
      path: '/rss.xml',
      status: response.status,
      buildId: response.headers.get('X-Build-Id'),
      etag: response.headers.get('ETag'),
      body: await response.text(),
    };
    await waitOnExecutionContext(ctx);
    expectFrom(answer, a);
    expectFrom(await fetchPath('/rss.xml', '0'), b);
  });
});
