import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import type { BuildPointer } from '../../src/core/build-record.ts';
import type { WorkerBindings } from '../../src/worker/bindings.ts';
import worker from '../../src/worker/index.ts';
import { readStoredDocument } from '../../src/worker/store/read-stored-document.ts';
import type { FixtureBuild } from '../support/provided-context.ts';
import { captureQueue } from './support/capture-queue.ts';
import { deriveBuild } from './support/derive-build.ts';
import { echoChallenge, fakeCallbacks, type SentRequest } from './support/fake-callbacks.ts';
import { hubEnv, ORIGIN, postHub } from './support/hub-client.ts';
import { loadBuild } from './support/load-build.ts';
import { clearHubTables, readSubscriptions } from './support/read-subscriptions.ts';
import { runQueue } from './support/run-queue.ts';

// The hub cases of websub.rocks (100–106), as that suite runs them against a hub: a
// subscriber subscribes, the publisher publishes (here: a deploy switches to a build in which
// the topic changed), and the subscriber checks what it received. Everything runs through the
// worker's own handlers: POST /hub, POST /_edgefeed/deployed and the queue consumer.
const IncomingRequest = Request<unknown, IncomingRequestCfProperties>;
const CALLBACK = 'https://websub.rocks.example/hub/100/sub/token';

let base: FixtureBuild;
let pointer: BuildPointer;
let deploys = 0;

beforeEach(async () => {
  await clearHubTables();
  base = inject('fixtureBuild');
  pointer = await loadBuild(env.FEEDS, base);
  vi.spyOn(console, 'log').mockImplementation(() => {});
});

afterEach(() => {
  vi.restoreAllMocks();
});

function subscribe(topic: string, extra: Record<string, string> = {}, callback = CALLBACK) {
  return postHub({
    'hub.mode': 'subscribe',
    'hub.topic': topic,
    'hub.callback': callback,
    ...extra,
  });
}

/**
 * Publishes: a new build in which `paths` changed is switched to, the trigger is called, and
 * the deliveries it enqueued are consumed. Returns the new build and what was POSTed.
 */
async function publish(paths: string[], bindings: Partial<WorkerBindings> = {}) {
  deploys += 1;
  const next = await deriveBuild(
    base,
    paths.map((path) => ({
      path,
      body: `${path} after deploy ${deploys}: ${crypto.randomUUID()}`,
    })),
  );
  const previous = pointer.current;
  pointer = await loadBuild(env.FEEDS, next, { kept: pointer.builds });
  const { queue, bodies } = captureQueue();
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new IncomingRequest(`${ORIGIN}/_edgefeed/deployed`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${env.DEPLOY_TOKEN}` },
      body: JSON.stringify({ previous, current: next.record.buildId }),
    }),
    hubEnv({ HUB_QUEUE: queue, ...bindings }),
    ctx,
  );
  await waitOnExecutionContext(ctx);
  expect(response.status).toBe(202);
  const { sent } = fakeCallbacks(() => new Response(null, { status: 200 }));
  if (bodies.length > 0) await runQueue(bodies);
  return { next, posts: sent.filter((s) => s.method === 'POST') };
}

async function expectServedBytes(next: FixtureBuild, path: string, post: SentRequest | undefined) {
  const stored = await readStoredDocument(env.FEEDS, next.record, path);
  expect(post?.headers.get('Content-Type')).toBe(stored?.contentType);
  expect(post?.body).toEqual(new Uint8Array(stored?.body ?? new ArrayBuffer(0)));
  expect(post?.headers.get('Link')).toBe(
    `<${ORIGIN}/hub>; rel="hub", <${ORIGIN}${path}>; rel="self"`,
  );
}

async function hmacHex(secret: string, body: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, body));
  return [...mac].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

describe('websub.rocks hub tests', () => {
  it('100: a typical subscription (mode, topic, callback) gets the new content, unsigned', async () => {
    fakeCallbacks(echoChallenge);
    expect((await subscribe(`${ORIGIN}/atom.xml`)).status).toBe(202);
    const { next, posts } = await publish(['/atom.xml']);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.url.href).toBe(CALLBACK);
    expect(posts[0]?.headers.has('X-Hub-Signature')).toBe(false);
    await expectServedBytes(next, '/atom.xml', posts[0]);
  });

  it('101: a subscription with a secret gets a valid X-Hub-Signature', async () => {
    const secret = 'websub.rocks secret 101';
    fakeCallbacks(echoChallenge);
    await subscribe(`${ORIGIN}/atom.xml`, { 'hub.secret': secret });
    const { posts } = await publish(['/atom.xml']);
    const [post] = posts as [SentRequest];
    expect(post.headers.get('X-Hub-Signature')).toBe(`sha256=${await hmacHex(secret, post.body)}`);
  });

  it('102: additional parameters are ignored', async () => {
    fakeCallbacks(echoChallenge);
    const response = await subscribe(`${ORIGIN}/atom.xml`, { foo: 'bar', 'hub.foo': 'hub.bar' });
    expect(response.status).toBe(202);
    expect(await readSubscriptions()).toHaveLength(1);
    const { posts } = await publish(['/atom.xml']);
    expect(posts).toHaveLength(1);
  });

  it('103: re-subscribing before expiry renews the one subscription (topic + callback)', async () => {
    fakeCallbacks(echoChallenge);
    await subscribe(`${ORIGIN}/atom.xml`, { 'hub.lease_seconds': '3600' });
    const [first] = await readSubscriptions();
    await new Promise((resolve) => setTimeout(resolve, 5));
    fakeCallbacks(echoChallenge);
    await subscribe(`${ORIGIN}/atom.xml`, { 'hub.lease_seconds': '7200' });
    const rows = await readSubscriptions();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.expires_at).toBeGreaterThan((first?.expires_at ?? 0) + 3600_000 - 1);
    const { posts } = await publish(['/atom.xml']);
    expect(posts).toHaveLength(1);
  });

  it('104: after an unsubscription nothing is delivered', async () => {
    fakeCallbacks(echoChallenge);
    await subscribe(`${ORIGIN}/atom.xml`);
    fakeCallbacks(echoChallenge);
    const response = await postHub({
      'hub.mode': 'unsubscribe',
      'hub.topic': `${ORIGIN}/atom.xml`,
      'hub.callback': CALLBACK,
    });
    expect(response.status).toBe(202);
    const { posts } = await publish(['/atom.xml']);
    expect(posts).toEqual([]);
  });

  it.each([
    ['/rss.xml', 'application/rss+xml; charset=utf-8'],
    ['/topics/ai/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/feed.json', 'application/feed+json; charset=utf-8'],
  ])('105/106: other content types, %s is delivered as %s', async (path, type) => {
    fakeCallbacks(echoChallenge);
    await subscribe(`${ORIGIN}${path}`);
    const { next, posts } = await publish([path]);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.headers.get('Content-Type')).toBe(type);
    await expectServedBytes(next, path, posts[0]);
  });

  it('delivers only the topics that changed, to their own subscribers', async () => {
    fakeCallbacks(echoChallenge);
    await subscribe(`${ORIGIN}/rss.xml`, {}, 'https://a.example/rss');
    await subscribe(`${ORIGIN}/topics/ai/atom.xml`, {}, 'https://b.example/ai');
    await subscribe(`${ORIGIN}/topics/cloud/feed.json`, {}, 'https://c.example/cloud');
    const { posts } = await publish(['/rss.xml', '/topics/ai/atom.xml']);
    expect(posts.map((post) => post.url.href).sort()).toEqual([
      'https://a.example/rss',
      'https://b.example/ai',
    ]);
  });
});

describe('through Cloudflare Queues (Miniflare’s local queue and its consumer)', () => {
  it('a deploy’s delivery reaches the subscriber without a test driving the consumer', async () => {
    fakeCallbacks(echoChallenge);
    await subscribe(`${ORIGIN}/topics/cloud/rss.xml`);
    const next = await deriveBuild(base, [
      { path: '/topics/cloud/rss.xml', body: `<rss>${crypto.randomUUID()}</rss>` },
    ]);
    const previous = pointer.current;
    pointer = await loadBuild(env.FEEDS, next, { kept: pointer.builds });
    const { sent } = fakeCallbacks(() => new Response(null, { status: 204 }));
    const ctx = createExecutionContext();
    const response = await worker.fetch(
      new IncomingRequest(`${ORIGIN}/_edgefeed/deployed`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${env.DEPLOY_TOKEN}` },
        body: JSON.stringify({ previous, current: next.record.buildId }),
      }),
      hubEnv(), // the real HUB_QUEUE binding
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(await response.json()).toMatchObject({ deliveries: 1 });
    await vi.waitFor(() => expect(sent.filter((s) => s.method === 'POST')).toHaveLength(1), {
      timeout: 10_000,
      interval: 50,
    });
    await expectServedBytes(
      next,
      '/topics/cloud/rss.xml',
      sent.find((s) => s.method === 'POST'),
    );
  });
});
