import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import type { BuildPointer } from '../../src/core/build-record.ts';
import { shardIndex } from '../../src/core/manifest.ts';
import type { WorkerBindings } from '../../src/worker/bindings.ts';
import worker from '../../src/worker/index.ts';
import { forgetPointer } from '../../src/worker/store/read-pointer.ts';
import type { FixtureBuild } from '../support/provided-context.ts';
import { captureQueue } from './support/capture-queue.ts';
import { countKvReads } from './support/count-kv-reads.ts';
import { contentHashOf, deriveBuild } from './support/derive-build.ts';
import { echoChallenge, fakeCallbacks } from './support/fake-callbacks.ts';
import { hubEnv, ORIGIN, postHub } from './support/hub-client.ts';
import { loadBuild } from './support/load-build.ts';
import { clearHubTables, insertSubscription } from './support/read-subscriptions.ts';

// POST /_edgefeed/deployed: a deploy (or rollback) that switched the pointer tells the worker,
// which diffs the two builds' subscription documents and enqueues one delivery per verified,
// unexpired subscriber of each changed one (W3C WebSub §7).
const TRIGGER = `${ORIGIN}/_edgefeed/deployed`;
const IncomingRequest = Request<unknown, IncomingRequestCfProperties>;

let base: FixtureBuild;
let pointer: BuildPointer;

beforeEach(async () => {
  await clearHubTables();
  base = inject('fixtureBuild');
  pointer = await loadBuild(env.FEEDS, base);
});

afterEach(() => {
  vi.restoreAllMocks();
  forgetPointer(); // one test holds the pointer for ten minutes
});

async function trigger(
  body: unknown,
  options: { token?: string | null; env?: Partial<WorkerBindings> } = {},
): Promise<{ response: Response; queued: unknown[] }> {
  const { queue, bodies } = captureQueue();
  const token = options.token === undefined ? env.DEPLOY_TOKEN : options.token;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new IncomingRequest(TRIGGER, { method: 'POST', headers, body: JSON.stringify(body) }),
    hubEnv({ HUB_QUEUE: queue, ...options.env }),
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { response, queued: bodies };
}

/** Deploys `next` over the build served now, keeping that one for rollback. */
async function deploy(next: FixtureBuild): Promise<BuildPointer> {
  pointer = await loadBuild(env.FEEDS, next, { kept: pointer.builds });
  return pointer;
}

describe('authentication', () => {
  it.each([
    ['no Authorization header', null],
    ['a wrong token', 'not-the-token-at-all'],
    ['the token with a suffix', `${env.DEPLOY_TOKEN}x`],
    ['an empty token', ''],
  ])('answers 401 with WWW-Authenticate to %s', async (_, token) => {
    const { response, queued } = await trigger(
      { previous: null, current: base.record.buildId },
      { token },
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toMatch(/^Bearer /);
    expect(queued).toEqual([]);
  });

  it('answers 401 to the token sent as Basic credentials', async () => {
    const ctx = createExecutionContext();
    const response = await worker.fetch(
      new IncomingRequest(TRIGGER, {
        method: 'POST',
        headers: { Authorization: `Basic ${btoa(`x:${env.DEPLOY_TOKEN}`)}` },
        body: '{}',
      }),
      hubEnv(),
      ctx,
    );
    expect(response.status).toBe(401);
  });

  it('answers 503 when no DEPLOY_TOKEN is configured, whatever is sent', async () => {
    for (const configured of [undefined, '', 'short-token']) {
      const { response } = await trigger(
        { previous: null, current: base.record.buildId },
        { token: configured ?? 'anything', env: { DEPLOY_TOKEN: configured } },
      );
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('No DEPLOY_TOKEN is configured');
    }
  });
});

describe('the request', () => {
  it.each([
    ['not JSON', 'deployed!'],
    ['no current', { previous: null }],
    ['a current that is not a build id', { previous: null, current: '../../etc' }],
  ])('answers 400 to %s', async (_, body) => {
    const { response } = await trigger(body);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('"current": "<buildId>"');
  });

  it('answers 409 with Retry-After when the pointer here does not serve `current` yet', async () => {
    const next = await deriveBuild(base, [{ path: '/rss.xml', body: '<rss>new</rss>' }]);
    const { response, queued } = await trigger({
      previous: base.record.buildId,
      current: next.record.buildId,
    });
    expect(response.status).toBe(409);
    expect(response.headers.get('Retry-After')).toBe('15');
    expect(await response.text()).toContain(
      `serves build ${base.record.buildId}, not ${next.record.buildId}`,
    );
    expect(queued).toEqual([]);
  });
});

describe('what changed', () => {
  it('lists new and changed subscription documents only, sorted, and enqueues nothing without subscribers', async () => {
    const next = await deriveBuild(base, [
      { path: '/rss.xml', body: '<rss>a new item</rss>' },
      { path: '/topics/ai/atom.xml', body: '<feed>new</feed>', type: 'atom' },
      { path: '/topics/robots/feed.json', body: '{"version":"1.1"}', type: 'feed' },
      { path: '/topics/ai/', body: '<p>a page</p>', type: 'html' },
      { path: '/archive/1/rss.xml', body: '<rss>sealed</rss>' },
      { path: '/feeds.json', body: '{}', type: 'json' },
      { path: '/topics/cloud/feed.json', removed: true },
    ]);
    await deploy(next);
    const { response, queued } = await trigger({
      previous: base.record.buildId,
      current: next.record.buildId,
    });
    expect(response.status).toBe(202);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({
      previous: base.record.buildId,
      current: next.record.buildId,
      changed: ['/rss.xml', '/topics/ai/atom.xml', '/topics/robots/feed.json'],
      deliveries: 0,
      pings: 0,
      // ActivityPub activities to followers: nobody follows.
      activities: 0,
    });
    expect(queued).toEqual([]);
  });

  it('treats every subscription document as new on a first deploy (previous: null)', async () => {
    const { response } = await trigger({ previous: null, current: base.record.buildId });
    const summary = (await response.json()) as { changed: string[] };
    expect(summary.changed).toContain('/rss.xml');
    expect(summary.changed).toContain('/providers/example.com/feed.json');
    expect(summary.changed.every((path) => /\/(rss\.xml|atom\.xml|feed\.json)$/.test(path))).toBe(
      true,
    );
    expect(summary.changed.some((path) => path.includes('/archive/'))).toBe(false);
  });

  it('finds the same changes when the two builds have different shard counts', async () => {
    const next = await deriveBuild(
      base,
      [{ path: '/atom.xml', body: '<feed>x</feed>', type: 'atom' }],
      {
        shardCount: 4,
      },
    );
    await deploy(next);
    const { response } = await trigger({
      previous: base.record.buildId,
      current: next.record.buildId,
    });
    expect(((await response.json()) as { changed: string[] }).changed).toEqual(['/atom.xml']);
  });

  it('reads only the shards whose hashes differ between the builds', async () => {
    // Four shards, each made unique to this test, so none is held in the isolate yet.
    const unique = crypto.randomUUID();
    const paths = [
      '/topics/a/rss.xml',
      '/topics/b/rss.xml',
      '/topics/c/rss.xml',
      '/topics/d/rss.xml',
      '/topics/e/rss.xml',
      '/topics/f/rss.xml',
      '/topics/g/rss.xml',
      '/topics/h/rss.xml',
    ];
    const before = await deriveBuild(
      base,
      paths.map((path) => ({ path, body: `${unique}${path}` })),
      { shardCount: 4 },
    );
    const shardsTouched = new Set(paths.map((path) => shardIndex(path, 4)));
    expect(shardsTouched.size).toBe(4);
    await deploy(before);
    const changedPath = paths[0] ?? '';
    const after = await deriveBuild(before, [{ path: changedPath, body: `${unique} changed` }], {
      shardCount: 4,
    });
    await deploy(after);
    const counted = countKvReads(env.FEEDS);
    const { response } = await trigger(
      { previous: before.record.buildId, current: after.record.buildId },
      { env: { FEEDS: counted.namespace } },
    );
    expect(((await response.json()) as { changed: string[] }).changed).toEqual([changedPath]);
    const index = shardIndex(changedPath, 4);
    expect(counted.calls.filter((call) => call.includes(' m:')).sort()).toEqual(
      [`get m:${after.record.shards[index]}`, `get m:${before.record.shards[index]}`].sort(),
    );
  });

  it('treats a rollback as another switch: the older bytes are what changed', async () => {
    const next = await deriveBuild(base, [{ path: '/rss.xml', body: '<rss>newer</rss>' }]);
    await deploy(next);
    // Roll back: the pointer serves the base build again, keeping `next`.
    pointer = await loadBuild(env.FEEDS, base, {
      kept: pointer.builds.filter((b) => b.buildId !== base.record.buildId),
    });
    await insertSubscription({ topic: `${ORIGIN}/rss.xml`, callback: 'https://reader.example/cb' });
    const { response, queued } = await trigger({
      previous: next.record.buildId,
      current: base.record.buildId,
    });
    expect(((await response.json()) as { changed: string[] }).changed).toEqual(['/rss.xml']);
    expect(queued).toMatchObject([
      { kind: 'deliver', path: '/rss.xml', buildId: base.record.buildId },
    ]);
  });
});

describe('deliveries enqueued', () => {
  it('one per verified, unexpired subscriber of each changed topic, carrying the new entry', async () => {
    const next = await deriveBuild(base, [
      { path: '/rss.xml', body: '<rss>fresh</rss>' },
      { path: '/topics/ai/atom.xml', body: '<feed>fresh</feed>', type: 'atom' },
    ]);
    await deploy(next);
    await insertSubscription({ topic: `${ORIGIN}/rss.xml`, callback: 'https://a.example/cb' });
    await insertSubscription({ topic: `${ORIGIN}/rss.xml`, callback: 'https://b.example/cb?k=1' });
    await insertSubscription({
      topic: `${ORIGIN}/topics/ai/atom.xml`,
      callback: 'https://expired.example/cb',
      verifiedAt: Date.now() - 7200_000,
      leaseSeconds: 3600,
    });
    await insertSubscription({
      topic: `${ORIGIN}/topics/cloud/rss.xml`,
      callback: 'https://unchanged.example/cb',
    });
    await insertSubscription({
      topic: `${ORIGIN}/atom.xml`,
      callback: 'https://other-format.example/cb',
    });
    const { response, queued } = await trigger({
      previous: base.record.buildId,
      current: next.record.buildId,
    });
    expect(((await response.json()) as { deliveries: number }).deliveries).toBe(2);
    expect(queued).toEqual([
      {
        kind: 'deliver',
        buildId: next.record.buildId,
        path: '/rss.xml',
        topic: `${ORIGIN}/rss.xml`,
        entry: [await contentHashOf('<rss>fresh</rss>'), expect.any(Number), 'rss'],
        hubUrl: `${ORIGIN}/hub`,
        callback: 'https://a.example/cb',
      },
      expect.objectContaining({ callback: 'https://b.example/cb?k=1', path: '/rss.xml' }),
    ]);
  });

  it('pings the external hub a build advertises (--hub-url) once per changed topic', async () => {
    const next = await deriveBuild(
      base,
      [{ path: '/feed.json', body: '{"items":[]}', type: 'feed' }],
      {
        record: { hubUrl: 'https://hub.example.net/' },
      },
    );
    await deploy(next);
    await insertSubscription({
      topic: `${ORIGIN}/feed.json`,
      callback: 'https://legacy.example/cb',
    });
    const { response, queued } = await trigger({
      previous: base.record.buildId,
      current: next.record.buildId,
    });
    expect(await response.json()).toMatchObject({ deliveries: 1, pings: 1 });
    expect(queued).toEqual([
      expect.objectContaining({ kind: 'deliver', hubUrl: 'https://hub.example.net/' }),
      {
        kind: 'ping',
        buildId: next.record.buildId,
        topic: `${ORIGIN}/feed.json`,
        hubUrl: 'https://hub.example.net/',
      },
    ]);
  });
});

describe('the isolate serves the new build at once', () => {
  it('drops the pointer it held, even with a long BUILD_POINTER_SECONDS', async () => {
    fakeCallbacks(echoChallenge);
    const holding = { BUILD_POINTER_SECONDS: '600' };
    // A hub request makes this isolate hold the base build's pointer for ten minutes.
    await postHub(
      {
        'hub.mode': 'subscribe',
        'hub.topic': `${ORIGIN}/rss.xml`,
        'hub.callback': 'https://r.example/cb',
      },
      { env: hubEnv(holding) },
    );
    const next = await deriveBuild(base, [{ path: '/rss.xml', body: '<rss>held?</rss>' }]);
    await deploy(next);
    const { response } = await trigger(
      { previous: base.record.buildId, current: next.record.buildId },
      { env: holding },
    );
    expect(response.status).toBe(202);
  });
});
