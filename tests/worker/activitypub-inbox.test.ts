import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import worker from '../../src/worker/index.ts';
import { captureQueue } from './support/capture-queue.ts';
import { countKvReads } from './support/count-kv-reads.ts';
import { fakeCallbacks } from './support/fake-callbacks.ts';
import { hubEnv, ORIGIN, randomClient } from './support/hub-client.ts';
import { loadBuild } from './support/load-build.ts';
import { runQueue } from './support/run-queue.ts';
import {
  hasValidSignature,
  importPem,
  makeRemoteActor,
  makeWorkerKey,
  type RemoteActor,
  signedPost,
} from './support/signed-activity.ts';

// ActivityPub §7 (inbox delivery) with draft-cavage-http-signatures-12: a request that is not
// signed by the activity's own actor changes nothing, and the refusals below fetch nothing
// (the fake network records every request the worker makes).
const SITE_ACTOR = `${ORIGIN}/actor`;
const BOB = 'https://remote.example/users/bob';

let bob: RemoteActor;
let workerKey: Awaited<ReturnType<typeof makeWorkerKey>>;
let queue: ReturnType<typeof captureQueue>;

beforeAll(async () => {
  await loadBuild(env.FEEDS, inject('fixtureBuild'));
  bob = await makeRemoteActor(BOB);
  workerKey = await makeWorkerKey();
});

beforeEach(async () => {
  queue = captureQueue();
  await env.DB.prepare('DELETE FROM followers').run();
});

afterEach(() => {
  vi.restoreAllMocks();
});

function apEnv(overrides: Record<string, unknown> = {}): Env {
  return hubEnv({
    ACTIVITYPUB_PRIVATE_KEY: workerKey.secret,
    HUB_QUEUE: queue.queue,
    ...overrides,
  });
}

/** The remote server: bob's actor document, and 202 from any inbox. */
function remote() {
  return fakeCallbacks((request) => {
    if (request.method === 'GET' && request.url.href === BOB) {
      return Response.json(bob.document, {
        headers: { 'Content-Type': 'application/activity+json' },
      });
    }
    return new Response(null, { status: request.method === 'POST' ? 202 : 404 });
  });
}

async function send(request: Request, environment = apEnv()): Promise<Response> {
  request.headers.set('CF-Connecting-IP', randomClient());
  const ctx = createExecutionContext();
  const response = await worker.fetch(
    request as Request<unknown, IncomingRequestCfProperties>,
    environment,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return response;
}

const follow = (object = SITE_ACTOR) =>
  JSON.stringify({
    '@context': 'https://www.w3.org/ns/activitystreams',
    id: `${BOB}/follows/1`,
    type: 'Follow',
    actor: BOB,
    object,
  });

async function followerRows() {
  const { results } = await env.DB.prepare('SELECT actor, follower, inbox FROM followers').all();
  return results;
}

describe('refused before anything is fetched or stored', () => {
  it.each([
    [
      'an unsigned Follow',
      async () => new Request(`${ORIGIN}/inbox`, { method: 'POST', body: follow() }),
      401,
      /not signed/,
    ],
    [
      'a signature over date only',
      () => signedPost(`${ORIGIN}/inbox`, follow(), bob, { covered: ['date'] }),
      401,
      /does not cover \(request-target\), host, digest/,
    ],
    [
      'a Date ten minutes old',
      () => signedPost(`${ORIGIN}/inbox`, follow(), bob, { date: new Date(Date.now() - 600_000) }),
      401,
      /Date/,
    ],
    [
      'a Digest of another body',
      () => signedPost(`${ORIGIN}/inbox`, follow(), bob, { digest: 'SHA-256=AAAA' }),
      401,
      /Digest/,
    ],
    [
      'a keyId on a private address',
      () => signedPost(`${ORIGIN}/inbox`, follow(), bob, { keyId: 'http://10.0.0.7/actor#key' }),
      401,
      /keyId points at a private network address/,
    ],
    [
      'a keyId on this machine',
      () => signedPost(`${ORIGIN}/inbox`, follow(), bob, { keyId: 'http://127.0.0.1:9/actor#key' }),
      401,
      /loopback/,
    ],
    [
      'a body that is not JSON',
      () => signedPost(`${ORIGIN}/inbox`, 'Follow me', bob),
      400,
      /not JSON/,
    ],
    [
      'JSON that names no actor',
      () => signedPost(`${ORIGIN}/inbox`, '{"type":"Follow","object":"x"}', bob),
      400,
      /no type or no actor/,
    ],
    [
      'a body over 1 MB',
      () => signedPost(`${ORIGIN}/inbox`, `{"x":"${'a'.repeat(1024 * 1024)}"}`, bob),
      413,
      /at most 1048576 bytes/,
    ],
  ])('%s', async (_name, make, status, reason) => {
    const { sent } = fakeCallbacks(() => new Response(null, { status: 500 }));
    const response = await send(await make());
    expect(response.status).toBe(status);
    expect(await response.text()).toMatch(reason);
    expect(sent.map((r) => r.url.href)).toEqual([]);
    expect(await followerRows()).toEqual([]);
    expect(queue.bodies).toEqual([]);
  });
});

describe('the per-client rate limit (INBOX_RATE_LIMIT: 120 a minute)', () => {
  it('answers 429 with Retry-After to the 121st request of a minute from one address', async () => {
    // The limiter counts in windows aligned to the wall clock: start well inside one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    const { sent } = fakeCallbacks(() => new Response(null, { status: 500 }));
    const client = randomClient();
    const statuses: number[] = [];
    for (let i = 0; i < 121; i++) {
      const request = new Request(`${ORIGIN}/inbox`, { method: 'POST', body: follow() });
      request.headers.set('CF-Connecting-IP', client);
      const ctx = createExecutionContext();
      const response = await worker.fetch(
        request as Request<unknown, IncomingRequestCfProperties>,
        apEnv(),
        ctx,
      );
      await waitOnExecutionContext(ctx);
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 120).every((status) => status === 401)).toBe(true);
    expect(statuses[120]).toBe(429);
    expect(sent).toEqual([]);
  }, 90_000);
});

describe('refused after the key is fetched', () => {
  it('a Follow signed with a key that is not the keyId owner’s: 401', async () => {
    remote();
    const other = await makeRemoteActor('https://remote.example/users/mallory');
    const request = await signedPost(`${ORIGIN}/inbox`, follow(), bob, {
      privateKey: other.keys.privateKey,
    });
    const response = await send(request);
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/does not verify/);
    expect(await followerRows()).toEqual([]);
    expect(queue.bodies).toEqual([]);
  });

  it('an activity whose actor is not the key’s owner: 401', async () => {
    remote();
    const body = follow().replace(
      `"actor":"${BOB}"`,
      '"actor":"https://remote.example/users/alice"',
    );
    const response = await send(await signedPost(`${ORIGIN}/inbox`, body, bob));
    expect(response.status).toBe(401);
    expect(await response.text()).toMatch(/belongs to https:\/\/remote\.example\/users\/bob/);
    expect(await followerRows()).toEqual([]);
  });

  it('a Follow of something that is not one of our actors: 400', async () => {
    remote();
    for (const object of [
      `${ORIGIN}/topics/no-such-topic/actor`,
      'https://elsewhere.example/actor',
      `${ORIGIN}/rss.xml`,
    ]) {
      const response = await send(await signedPost(`${ORIGIN}/inbox`, follow(object), bob));
      expect(response.status, object).toBe(400);
      expect(await response.text()).toMatch(/not one of our actors/);
    }
    expect(await followerRows()).toEqual([]);
    expect(queue.bodies).toEqual([]);
  });
});

describe('Follow, Accept, Undo', () => {
  it('stores a signed Follow, answers it with a signed Accept, and an Undo removes it', async () => {
    const { sent: seen } = fakeCallbacks((request) => {
      if (request.method === 'GET' && request.url.href === BOB) return Response.json(bob.document);
      return new Response(null, { status: 202 });
    });
    const response = await send(await signedPost(`${ORIGIN}/topics/ai/inbox`, follow(), bob));
    expect(response.status, await response.text()).toBe(202);
    expect(await followerRows()).toEqual([
      { actor: '/actor', follower: BOB, inbox: 'https://remote.example/inbox' },
    ]);
    expect(queue.bodies).toHaveLength(1);

    // The queue consumer signs and sends the Accept to bob's own inbox.
    const run = await runQueue(queue.bodies, { env: apEnv() });
    expect(run.result.explicitAcks).toHaveLength(1);
    const accept = seen.find((r) => r.method === 'POST');
    if (accept === undefined) throw new Error('no Accept was sent');
    expect(accept.url.href).toBe(`${BOB}/inbox`);
    const json = JSON.parse(new TextDecoder().decode(accept.body));
    expect(json).toMatchObject({
      type: 'Accept',
      actor: SITE_ACTOR,
      object: { id: `${BOB}/follows/1`, type: 'Follow' },
    });
    // Checked with the public key the site actor publishes, as bob's server would.
    const actor = (await (await send(new Request(SITE_ACTOR), apEnv())).json()) as {
      publicKey: { id: string; publicKeyPem: string };
    };
    expect(actor.publicKey.id).toBe(`${SITE_ACTOR}#main-key`);
    expect(accept.headers.get('signature')).toContain(`keyId="${SITE_ACTOR}#main-key"`);
    expect(await hasValidSignature(accept, await importPem(actor.publicKey.publicKeyPem))).toBe(
      true,
    );

    const followers = await send(new Request(`${ORIGIN}/followers`), apEnv());
    expect(await followers.json()).toMatchObject({ type: 'OrderedCollection', totalItems: 1 });

    const undo = JSON.stringify({
      id: `${BOB}/follows/1/undo`,
      type: 'Undo',
      actor: BOB,
      object: JSON.parse(follow()),
    });
    const undone = await send(await signedPost(`${ORIGIN}/inbox`, undo, bob));
    expect(undone.status).toBe(202);
    expect(await followerRows()).toEqual([]);
  });

  it('acknowledges and drops every other activity', async () => {
    remote();
    const like = JSON.stringify({
      id: `${BOB}/likes/1`,
      type: 'Like',
      actor: BOB,
      object: `${ORIGIN}/notes/x`,
    });
    const response = await send(await signedPost(`${ORIGIN}/inbox`, like, bob));
    expect(response.status).toBe(202);
    expect(await response.text()).toMatch(/a Like changes nothing here/);
    expect(await followerRows()).toEqual([]);
    expect(queue.bodies).toEqual([]);
  });
});

describe('actors and WebFinger', () => {
  it('serves an actor with the public key of ACTIVITYPUB_PRIVATE_KEY, and 304 on its ETag', async () => {
    const response = await send(new Request(`${ORIGIN}/topics/ai/actor`), apEnv());
    expect(response.headers.get('Content-Type')).toBe('application/activity+json; charset=utf-8');
    const actor = (await response.json()) as { publicKey: { publicKeyPem: string; owner: string } };
    expect(actor.publicKey.owner).toBe(`${ORIGIN}/topics/ai/actor`);
    const published = await crypto.subtle.exportKey(
      'spki',
      await importPem(actor.publicKey.publicKeyPem),
    );
    const expected = await crypto.subtle.exportKey('spki', workerKey.publicKey);
    expect(new Uint8Array(published as ArrayBuffer)).toEqual(
      new Uint8Array(expected as ArrayBuffer),
    );
    const etag = response.headers.get('ETag') ?? '';
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}-[0-9a-f]{8}"$/);
    const again = await send(
      new Request(`${ORIGIN}/topics/ai/actor`, { headers: { 'If-None-Match': etag } }),
      apEnv(),
    );
    expect(again.status).toBe(304);
    // ActivityPub §3.2: the JSON-LD profile Accept gets the same document.
    const ld = await send(
      new Request(`${ORIGIN}/topics/ai/actor`, {
        headers: { Accept: 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"' },
      }),
      apEnv(),
    );
    expect(ld.status).toBe(200);
    expect(ld.headers.get('Content-Type')).toBe('application/activity+json; charset=utf-8');
    expect(ld.headers.get('ETag')).toBe(etag);
  });

  it('reads one body from KV for an actor or an outbox, and none for a 304 or a HEAD', async () => {
    for (const path of ['/providers/example.com/actor', '/providers/example.com/outbox']) {
      const { namespace, calls } = countKvReads(env.FEEDS);
      const counted = apEnv({ FEEDS: namespace, MEMORY_CACHE_SECONDS: '0' });
      const bodies = () => calls.filter((call) => call.startsWith('get c:'));
      const first = await send(new Request(`${ORIGIN}${path}`), counted);
      expect(first.status).toBe(200);
      await first.text();
      expect(bodies(), path).toHaveLength(1);
      const etag = first.headers.get('ETag') ?? '';
      const again = await send(
        new Request(`${ORIGIN}${path}`, { headers: { 'If-None-Match': etag } }),
        counted,
      );
      expect(again.status).toBe(304);
      const head = await send(new Request(`${ORIGIN}${path}`, { method: 'HEAD' }), counted);
      expect(head.headers.get('ETag')).toBe(etag);
      expect(bodies(), path).toHaveLength(1);
    }
  });

  it('answers 503 for an actor when no key is configured', async () => {
    const response = await send(
      new Request(`${ORIGIN}/actor`),
      apEnv({ ACTIVITYPUB_PRIVATE_KEY: undefined }),
    );
    expect(response.status).toBe(503);
  });

  it('finds each actor by handle, and nothing else', async () => {
    const host = new URL(ORIGIN).host;
    const finger = (resource: string) =>
      send(
        new Request(`${ORIGIN}/.well-known/webfinger?resource=${encodeURIComponent(resource)}`),
        apEnv(),
      );
    const site = await finger(`acct:all_articles@${host}`);
    expect(site.headers.get('Content-Type')).toBe('application/jrd+json; charset=utf-8');
    expect(await site.json()).toMatchObject({
      subject: `acct:all_articles@${host}`,
      links: [
        { rel: 'self', type: 'application/activity+json', href: SITE_ACTOR },
        { rel: 'http://webfinger.net/rel/profile-page', type: 'text/html', href: `${ORIGIN}/` },
      ],
    });
    const topic = (await (await finger(`acct:ai@${host}`)).json()) as { links: { href: string }[] };
    expect(topic.links[0]?.href).toBe(`${ORIGIN}/topics/ai/actor`);
    const byUrl = (await (await finger(`${ORIGIN}/topics/ai/actor`)).json()) as { subject: string };
    expect(byUrl.subject).toBe(`acct:ai@${host}`);
    for (const unknown of [
      `acct:ai@elsewhere.example`,
      `acct:no-such-topic@${host}`,
      `acct:all.articles@${host}`,
    ]) {
      expect((await finger(unknown)).status, unknown).toBe(404);
    }
    expect((await send(new Request(`${ORIGIN}/.well-known/webfinger`), apEnv())).status).toBe(400);
  });
});
