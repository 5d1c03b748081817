import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { PUBLIC_KEY_PLACEHOLDER } from '../../src/core/actor-paths.ts';
import worker from '../../src/worker/index.ts';
import { forgetPointer } from '../../src/worker/store/read-pointer.ts';
import type { FixtureBuild } from '../support/provided-context.ts';
import { documentOf, storedTextOf } from './support/build-documents.ts';
import { captureQueue } from './support/capture-queue.ts';
import { deriveBuild } from './support/derive-build.ts';
import { fakeCallbacks } from './support/fake-callbacks.ts';
import { hubEnv, ORIGIN } from './support/hub-client.ts';
import { loadBuild } from './support/load-build.ts';
import { runQueue } from './support/run-queue.ts';
import { hasValidSignature, importPem, makeWorkerKey } from './support/signed-activity.ts';

// After a deploy, the deploy trigger sends each followed feed's new articles as the Creates
// its outbox holds, and its deleted ones as Deletes, once per follower inbox (a shared inbox
// once), signed; a 410 from an inbox removes the followers behind it.
type Item = { url: string; date_published: string };
type Create = { id: string; type: string; object: { id: string; url: string } };

const ACTOR = `${ORIGIN}/topics/ai/actor`;
const SHARED = 'https://one.example/inbox';
const GONE = 'https://two.example/users/c/inbox';

let base: FixtureBuild;
let workerKey: Awaited<ReturnType<typeof makeWorkerKey>>;

beforeAll(async () => {
  base = inject('fixtureBuild');
  workerKey = await makeWorkerKey();
});

afterEach(() => {
  vi.restoreAllMocks();
  forgetPointer();
});

async function follow(follower: string, inbox: string): Promise<void> {
  await env.DB.prepare(
    'INSERT INTO followers (actor, follower, inbox, follow_id, followed_at) VALUES (?1, ?2, ?3, ?4, 0)',
  )
    .bind('/topics/ai/actor', follower, inbox, `${follower}/follow`)
    .run();
}

/** The deploy trigger after a switch from `previous` to `current`, with the queue captured. */
async function triggerDeploy(previous: FixtureBuild, current: FixtureBuild) {
  const { queue, bodies } = captureQueue();
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    new Request(`${ORIGIN}/_edgefeed/deployed`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${env.DEPLOY_TOKEN}`,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({
        previous: previous.record.buildId,
        current: current.record.buildId,
      }),
    }) as Request<unknown, IncomingRequestCfProperties>,
    // With the worker's key, as deployed: an actor that changed is sent as an Update.
    hubEnv({ HUB_QUEUE: queue, ACTIVITYPUB_PRIVATE_KEY: workerKey.secret }),
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return { response, bodies };
}

describe('a deploy that adds one article to a followed feed and deletes another', () => {
  it('queues a signed Create and a Delete per follower inbox; 410 ends those follows', async () => {
    const pointer = await loadBuild(env.FEEDS, base);
    await follow('https://one.example/users/a', SHARED);
    await follow('https://one.example/users/b', SHARED);
    await follow('https://two.example/users/c', GONE);

    // The next build: the feed's newest article deleted, a new one added (its JSON Feed
    // document and its outbox's latest page, as the build writes them).
    const feed = JSON.parse(documentOf(base, '/topics/ai/feed.json').body) as { items: Item[] };
    const latest = JSON.parse(documentOf(base, '/topics/ai/outbox-latest').body) as {
      orderedItems: Create[];
    };
    const [deleted, ...kept] = feed.items;
    if (deleted === undefined) throw new Error('the fixture topic has no items');
    const deletedNote = latest.orderedItems.find((c) => c.object.url === deleted.url)?.object.id;
    const added: Item = {
      url: 'https://example.com/new',
      date_published: '2030-01-01T00:00:00.000Z',
    };
    const create = {
      id: `${ACTOR.replace(/actor$/, '')}notes/new/create`,
      type: 'Create',
      actor: ACTOR,
      object: { id: `${ACTOR.replace(/actor$/, '')}notes/new`, type: 'Note', url: added.url },
    };
    const next = await deriveBuild(base, [
      {
        path: '/topics/ai/feed.json',
        body: JSON.stringify({ ...feed, items: [added, ...kept] }),
        type: 'feed',
      },
      {
        path: '/topics/ai/outbox-latest',
        body: JSON.stringify({
          ...latest,
          orderedItems: [create, ...latest.orderedItems.slice(1)],
        }),
        type: 'activity',
      },
    ]);
    await loadBuild(env.FEEDS, next, { kept: pointer.builds });

    const { response, bodies } = await triggerDeploy(base, next);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ activities: 4 });
    const sent = (bodies as { inbox: string; activity: string }[]).map((m) => ({
      inbox: m.inbox,
      activity: JSON.parse(m.activity) as Record<string, unknown>,
    }));
    expect(sent.map((m) => `${m.activity.type} ${m.inbox}`).sort()).toEqual(
      [`Create ${SHARED}`, `Create ${GONE}`, `Delete ${SHARED}`, `Delete ${GONE}`].sort(),
    );
    const sentCreate = sent.find((m) => m.activity.type === 'Create')?.activity;
    expect(sentCreate).toEqual({ '@context': 'https://www.w3.org/ns/activitystreams', ...create });
    const sentDelete = sent.find((m) => m.activity.type === 'Delete')?.activity;
    expect(sentDelete).toMatchObject({
      actor: ACTOR,
      object: { type: 'Tombstone', id: deletedNote },
    });

    const { sent: posts } = fakeCallbacks(
      (request) => new Response(null, { status: request.url.href === GONE ? 410 : 202 }),
    );
    await runQueue(bodies, { env: hubEnv({ ACTIVITYPUB_PRIVATE_KEY: workerKey.secret }) });
    expect(posts).toHaveLength(4);
    for (const post of posts) {
      expect(post.headers.get('content-type')).toBe('application/activity+json');
      expect(await hasValidSignature(post, workerKey.publicKey), post.url.href).toBe(true);
    }
    const { results } = await env.DB.prepare(
      'SELECT follower FROM followers ORDER BY follower',
    ).all();
    expect(results).toEqual([
      { follower: 'https://one.example/users/a' },
      { follower: 'https://one.example/users/b' },
    ]);
  });
});

describe('a deploy that renames a followed feed', () => {
  it('sends its followers an Update of the actor, as served, key included; an unchanged actor none', async () => {
    const pointer = await loadBuild(env.FEEDS, base);
    await env.DB.prepare('DELETE FROM followers').run(); // what the test above left
    await follow('https://one.example/users/a', SHARED);
    await follow('https://one.example/users/b', SHARED);
    await follow('https://two.example/users/c', GONE);
    const stored = storedTextOf(base, '/topics/ai/actor');
    const served = JSON.parse(stored.replace(PUBLIC_KEY_PLACEHOLDER, '""')) as Record<
      string,
      unknown
    >;
    const next = await deriveBuild(base, [
      {
        path: '/topics/ai/actor',
        body: stored.replace(
          `"name": ${JSON.stringify(served.name)}`,
          '"name": "Artificial intelligence, renamed"',
        ),
      },
    ]);
    const switched = await loadBuild(env.FEEDS, next, { kept: pointer.builds });

    const { response, bodies } = await triggerDeploy(base, next);
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ changed: [], activities: 2 });
    const sent = (bodies as { inbox: string; activity: string }[]).map((m) => ({
      inbox: m.inbox,
      activity: JSON.parse(m.activity) as Record<string, unknown> & {
        object: Record<string, unknown> & { publicKey: { publicKeyPem: string } };
      },
    }));
    expect(sent.map((m) => `${m.activity.type} ${m.inbox}`).sort()).toEqual(
      [`Update ${SHARED}`, `Update ${GONE}`].sort(),
    );
    const update = sent[0]?.activity;
    expect(update).toMatchObject({
      '@context': served['@context'],
      id: `${ACTOR}#updates/${next.record.buildId}`,
      actor: ACTOR,
      to: ['https://www.w3.org/ns/activitystreams#Public'],
      object: { id: ACTOR, type: 'Service', name: 'Artificial intelligence, renamed' },
    });
    expect(update?.object).not.toHaveProperty('@context');
    // The key the actor shows is the worker's own.
    const shown = await importPem(update?.object.publicKey.publicKeyPem ?? '');
    const spki = async (key: CryptoKey) =>
      new Uint8Array((await crypto.subtle.exportKey('spki', key)) as ArrayBuffer);
    expect(await spki(shown)).toEqual(await spki(workerKey.publicKey));

    const { sent: posts } = fakeCallbacks(() => new Response(null, { status: 202 }));
    await runQueue(bodies, { env: hubEnv({ ACTIVITYPUB_PRIVATE_KEY: workerKey.secret }) });
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      expect(await hasValidSignature(post, workerKey.publicKey), post.url.href).toBe(true);
    }

    // Switching back (a rollback) changes the actor again: an Update with another id.
    await loadBuild(env.FEEDS, base, { kept: switched.builds });
    const { bodies: back } = await triggerDeploy(next, base);
    const ids = (back as { activity: string }[]).map(
      (m) => (JSON.parse(m.activity) as { id: string }).id,
    );
    expect(new Set(ids)).toEqual(new Set([`${ACTOR}#updates/${base.record.buildId}`]));
  });
});

describe('a deploy that adds more than a page of articles to a followed feed', () => {
  it('sends a Create for the articles it sealed into a new archive page too', async () => {
    await env.DB.prepare('DELETE FROM followers').run();
    const pointer = await loadBuild(env.FEEDS, base);
    const inbox = 'https://three.example/inbox';
    await follow('https://three.example/users/d', inbox);

    // The next build: one new article on the feed's newest page and one more in an archive
    // page this build sealed (its JSON Feed `next_url`, and the outbox's `next`, lead there).
    const feed = JSON.parse(documentOf(base, '/topics/ai/feed.json').body) as {
      items: Item[];
      next_url?: string;
    };
    const latest = JSON.parse(documentOf(base, '/topics/ai/outbox-latest').body) as {
      orderedItems: Create[];
      next?: string;
    };
    const dir = `${ORIGIN}/topics/ai`;
    const createOf = (slug: string, url: string) => ({
      id: `${dir}/notes/${slug}/create`,
      type: 'Create',
      actor: ACTOR,
      object: { id: `${dir}/notes/${slug}`, type: 'Note', url },
    });
    const newest: Item = {
      url: 'https://example.com/newest',
      date_published: '2030-01-02T00:00:00.000Z',
    };
    const sealed: Item = {
      url: 'https://example.com/sealed',
      date_published: '2030-01-01T00:00:00.000Z',
    };
    const next = await deriveBuild(base, [
      {
        path: '/topics/ai/feed.json',
        body: JSON.stringify({
          ...feed,
          items: [newest, ...feed.items],
          next_url: `${dir}/archive/99/feed.json`,
        }),
        type: 'feed',
      },
      {
        path: '/topics/ai/archive/99/feed.json',
        body: JSON.stringify({ ...feed, items: [sealed], next_url: feed.next_url }),
        type: 'feed',
      },
      {
        path: '/topics/ai/outbox-latest',
        body: JSON.stringify({
          ...latest,
          orderedItems: [createOf('newest', newest.url), ...latest.orderedItems],
          next: `${dir}/archive/99/outbox`,
        }),
        type: 'activity',
      },
      {
        path: '/topics/ai/archive/99/outbox',
        body: JSON.stringify({
          ...latest,
          orderedItems: [createOf('sealed', sealed.url)],
          next: latest.next,
        }),
        type: 'activity',
      },
    ]);
    await loadBuild(env.FEEDS, next, { kept: pointer.builds });

    const { response, bodies } = await triggerDeploy(base, next);
    expect(response.status).toBe(202);
    const sent = (bodies as { inbox: string; activity: string }[]).map(
      (m) => JSON.parse(m.activity) as { type: string; object: { url: string } },
    );
    // Oldest first, as the outbox orders them, and nothing else (no Delete).
    expect(sent.map((a) => `${a.type} ${a.object.url}`)).toEqual([
      `Create ${sealed.url}`,
      `Create ${newest.url}`,
    ]);
  });
});

describe('an inbox that never answers', () => {
  it('holds up only its own message: the others are sent at once, it is retried after 15 s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const slow = 'https://slow.example/inbox';
    const fast = 'https://fast.example/inbox';
    let started: () => void = () => {};
    const slowStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    let delivered: () => void = () => {};
    const fastDelivered = new Promise<void>((resolve) => {
      delivered = resolve;
    });
    const { sent } = fakeCallbacks((request) => {
      if (request.url.href !== slow) {
        delivered();
        return new Response(null, { status: 202 });
      }
      started();
      return new Promise<Response>((_, reject) => {
        request.signal?.addEventListener('abort', () => reject(request.signal?.reason));
      });
    });
    const message = (inbox: string) => ({
      kind: 'activity',
      buildId: base.record.buildId,
      actor: ACTOR,
      inbox,
      activity: JSON.stringify({ id: `${ACTOR}#x`, type: 'Create', actor: ACTOR }),
    });
    const running = runQueue([message(slow), message(fast)], {
      env: hubEnv({ ACTIVITYPUB_PRIVATE_KEY: workerKey.secret }),
    });
    // Both are sent while the slow one hangs: the clock has not moved (were the fast one
    // waiting behind it, this would never resolve and the test would time out).
    await Promise.all([slowStarted, fastDelivered]);
    expect(sent.map((r) => r.url.href).sort()).toEqual([fast, slow]);
    vi.advanceTimersByTime(15_000);
    const { result, ids } = await running;
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([ids[0]]);
    expect(result.explicitAcks).toEqual([ids[1]]);
    vi.useRealTimers();
  });
});
