import { env } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import type { BuildPointer } from '../../src/core/build-record.ts';
import type { DeliverMessage } from '../../src/worker/hub/hub-message.ts';
import { HUB_DEAD_LETTER_QUEUE_NAME } from '../../src/worker/hub/hub-message.ts';
import { findDocument } from '../../src/worker/store/find-document.ts';
import { readStoredDocument } from '../../src/worker/store/read-stored-document.ts';
import type { FixtureBuild } from '../support/provided-context.ts';
import { deriveBuild } from './support/derive-build.ts';
import { fakeCallbacks, type SentRequest } from './support/fake-callbacks.ts';
import { hubEnv, ORIGIN } from './support/hub-client.ts';
import { loadBuild } from './support/load-build.ts';
import {
  clearHubTables,
  insertSubscription,
  readSubscriptions,
} from './support/read-subscriptions.ts';
import { runQueue } from './support/run-queue.ts';

// Content distribution (W3C WebSub §7) as the queue consumer does it: the exact bytes and
// Content-Type of the topic, the Link header, X-Hub-Signature with a secret (§7.1), 410 ends
// a subscription, other failures are retried with exponential backoff.
const CALLBACK = 'https://reader.example/push?feed=rss';
let build: FixtureBuild;
let pointer: BuildPointer;

beforeAll(async () => {
  build = inject('fixtureBuild');
});

beforeEach(async () => {
  await clearHubTables();
  pointer = await loadBuild(env.FEEDS, build);
  vi.spyOn(console, 'log').mockImplementation(() => {});
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function message(
  path: string,
  overrides: Partial<DeliverMessage> = {},
): Promise<DeliverMessage> {
  const entry = await findDocument(env.FEEDS, build.record, path);
  if (entry === undefined) throw new Error(`the fixture build has no ${path}`);
  return {
    kind: 'deliver',
    buildId: build.record.buildId,
    path,
    topic: `${ORIGIN}${path}`,
    entry,
    hubUrl: `${ORIGIN}/hub`,
    callback: CALLBACK,
    ...overrides,
  };
}

async function hmacHex(hash: string, secret: string, body: Uint8Array): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, body));
  return [...mac].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

const accept = () => new Response(null, { status: 202 });

describe('what a subscriber receives', () => {
  it.each([
    ['/rss.xml', 'application/rss+xml; charset=utf-8'],
    ['/topics/ai/atom.xml', 'application/atom+xml; charset=utf-8'],
    ['/providers/example.com/feed.json', 'application/feed+json; charset=utf-8'],
  ])('a POST of %s with exactly the stored bytes and Content-Type %s', async (path, type) => {
    await insertSubscription({ topic: `${ORIGIN}${path}`, callback: CALLBACK });
    const { sent } = fakeCallbacks(accept);
    const { result, ids } = await runQueue([await message(path)]);
    expect(result.explicitAcks).toEqual(ids);
    expect(sent).toHaveLength(1);
    const [delivery] = sent as [SentRequest];
    const stored = await readStoredDocument(env.FEEDS, build.record, path);
    expect(delivery.method).toBe('POST');
    expect(delivery.url.href).toBe(CALLBACK); // the callback exactly, query string included (§8.3)
    expect(delivery.headers.get('Content-Type')).toBe(type);
    expect(delivery.headers.get('Content-Type')).toBe(stored?.contentType);
    expect(delivery.body).toEqual(new Uint8Array(stored?.body ?? new ArrayBuffer(0)));
    expect(delivery.redirect).toBe('manual');
  });

  it('carries one Link header naming the hub and the topic (rel=hub, rel=self)', async () => {
    await insertSubscription({ topic: `${ORIGIN}/atom.xml`, callback: CALLBACK });
    const { sent } = fakeCallbacks(accept);
    await runQueue([await message('/atom.xml')]);
    expect(sent[0]?.headers.get('Link')).toBe(
      `<${ORIGIN}/hub>; rel="hub", <${ORIGIN}/atom.xml>; rel="self"`,
    );
  });

  it('sends no X-Hub-Signature without a secret', async () => {
    await insertSubscription({ topic: `${ORIGIN}/rss.xml`, callback: CALLBACK });
    const { sent } = fakeCallbacks(accept);
    await runQueue([await message('/rss.xml')]);
    expect(sent[0]?.headers.has('X-Hub-Signature')).toBe(false);
  });

  it.each([
    ['sha256', 'SHA-256'],
    ['sha512', 'SHA-512'],
    ['sha1', 'SHA-1'],
  ])(
    'signs with %s: X-Hub-Signature is the HMAC of the body under hub.secret (§7.1)',
    async (name, hash) => {
      const secret = 'a shared secret, 🔑';
      await insertSubscription({
        topic: `${ORIGIN}/feed.json`,
        callback: CALLBACK,
        secret,
        signature: name,
      });
      const { sent } = fakeCallbacks(accept);
      await runQueue([await message('/feed.json')]);
      const [delivery] = sent as [SentRequest];
      expect(delivery.headers.get('X-Hub-Signature')).toBe(
        `${name}=${await hmacHex(hash, secret, delivery.body)}`,
      );
      // …and the signature does not match another secret.
      expect(delivery.headers.get('X-Hub-Signature')).not.toBe(
        `${name}=${await hmacHex(hash, 'other', delivery.body)}`,
      );
    },
  );

  it('uses the secret of the subscription as it is at delivery time', async () => {
    await insertSubscription({ topic: `${ORIGIN}/rss.xml`, callback: CALLBACK, secret: 'old' });
    const queued = await message('/rss.xml');
    await env.DB.prepare("UPDATE subscriptions SET secret = 'renewed'").run();
    const { sent } = fakeCallbacks(accept);
    await runQueue([queued]);
    const [delivery] = sent as [SentRequest];
    expect(delivery.headers.get('X-Hub-Signature')).toBe(
      `sha256=${await hmacHex('SHA-256', 'renewed', delivery.body)}`,
    );
  });
});

describe('who receives nothing', () => {
  it('a subscription whose lease has expired', async () => {
    await insertSubscription({
      topic: `${ORIGIN}/rss.xml`,
      callback: CALLBACK,
      verifiedAt: Date.now() - 7200_000,
      leaseSeconds: 3600,
    });
    const { sent } = fakeCallbacks(accept);
    const { result, ids } = await runQueue([await message('/rss.xml')]);
    expect(sent).toEqual([]);
    expect(result.explicitAcks).toEqual(ids);
  });

  it('a subscriber that unsubscribed after the delivery was queued', async () => {
    const { sent } = fakeCallbacks(accept);
    const { result, ids } = await runQueue([await message('/rss.xml')]);
    expect(sent).toEqual([]);
    expect(result.explicitAcks).toEqual(ids);
  });

  it('a callback the policy no longer allows (loopback once HUB_ALLOW_LOOPBACK is off)', async () => {
    const local = 'http://127.0.0.1:8841/cb';
    await insertSubscription({ topic: `${ORIGIN}/rss.xml`, callback: local });
    const { sent } = fakeCallbacks(accept);
    await runQueue([await message('/rss.xml', { callback: local })]);
    expect(sent).toEqual([]);
    await runQueue([await message('/rss.xml', { callback: local })], {
      env: hubEnv({ HUB_ALLOW_LOOPBACK: 'true' }),
    });
    expect(sent).toHaveLength(1);
  });

  it('a retry that a later switch overtook with other bytes for the topic', async () => {
    await insertSubscription({ topic: `${ORIGIN}/rss.xml`, callback: CALLBACK });
    const old = await message('/rss.xml');
    const next = await deriveBuild(build, [{ path: '/rss.xml', body: '<rss>newer</rss>' }]);
    pointer = await loadBuild(env.FEEDS, next, { kept: pointer.builds });
    const { sent } = fakeCallbacks(accept);
    const { result, ids } = await runQueue([old], { attempts: 3 });
    expect(sent).toEqual([]);
    expect(result.explicitAcks).toEqual(ids);
  });

  it('…but a retry still goes out when the build served now has the same bytes there', async () => {
    await insertSubscription({ topic: `${ORIGIN}/rss.xml`, callback: CALLBACK });
    const old = await message('/rss.xml');
    const next = await deriveBuild(build, [
      { path: '/atom.xml', body: '<feed>other</feed>', type: 'atom' },
    ]);
    pointer = await loadBuild(env.FEEDS, next, { kept: pointer.builds });
    const { sent } = fakeCallbacks(accept);
    await runQueue([old], { attempts: 3 });
    expect(sent).toHaveLength(1);
  });
});

describe('when the callback fails', () => {
  beforeEach(async () => {
    await insertSubscription({ topic: `${ORIGIN}/rss.xml`, callback: CALLBACK });
  });

  it('410 Gone ends the subscription (§7) and the message is done', async () => {
    fakeCallbacks(() => new Response('gone', { status: 410 }));
    const { result, ids } = await runQueue([await message('/rss.xml')]);
    expect(result.explicitAcks).toEqual(ids);
    expect(result.retryMessages).toEqual([]);
    expect(await readSubscriptions()).toEqual([]);
  });

  it.each([
    ['a 500', () => new Response('busy', { status: 500 }), 'the callback answered 500'],
    ['a 404', () => new Response('?', { status: 404 }), 'the callback answered 404'],
    [
      'a redirect (§7: subscribers MUST NOT use them)',
      () => new Response(null, { status: 307, headers: { Location: 'https://x.example/' } }),
      'the callback answered 307',
    ],
    [
      'a network error',
      () => Promise.reject(new TypeError('Network connection lost.')),
      'Network connection lost.',
    ],
  ])(
    '%s is retried with backoff, and remembered on the subscription',
    async (_, answer, failure) => {
      fakeCallbacks(answer);
      const { result, ids, retries } = await runQueue([await message('/rss.xml')]);
      expect(result.retryMessages).toEqual([{ msgId: ids[0] }]);
      expect(retries).toEqual([{ msgId: ids[0], delaySeconds: 30 }]);
      expect(result.explicitAcks).toEqual([]);
      const [row] = await readSubscriptions();
      expect(row).toMatchObject({ failures: 1, last_failure: failure });
    },
  );

  it('waits 30 s × 4ⁿ⁻¹ before retry n, at most 12 hours', async () => {
    fakeCallbacks(() => new Response('down', { status: 503 }));
    const delays: (number | undefined)[] = [];
    for (const attempts of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const { retries } = await runQueue([await message('/rss.xml')], { attempts });
      delays.push(retries[0]?.delaySeconds);
    }
    expect(delays).toEqual([30, 120, 480, 1920, 7680, 30720, 43200, 43200]);
    expect((await readSubscriptions())[0]?.failures).toBe(8);
  });

  it('gives up on a callback that does not answer within 15 seconds, and retries', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let signal: AbortSignal | undefined;
    let started: () => void = () => {};
    const waiting = new Promise<void>((resolve) => {
      started = resolve;
    });
    fakeCallbacks((sent) => {
      signal = sent.signal;
      started();
      return new Promise<Response>((_, reject) => {
        sent.signal?.addEventListener('abort', () => reject(sent.signal?.reason));
      });
    });
    const running = runQueue([await message('/rss.xml')]);
    await waiting;
    vi.advanceTimersByTime(14_999);
    expect(signal?.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(signal?.aborted).toBe(true);
    const { result } = await running;
    expect(result.retryMessages).toHaveLength(1);
    expect((await readSubscriptions())[0]?.last_failure).toMatch(/^timeout: no answer within 15 s/);
  });

  it('keeps the subscription: §7 wants it active until its lease ends', async () => {
    fakeCallbacks(() => new Response('down', { status: 503 }));
    await runQueue([await message('/rss.xml')], { attempts: 8 });
    expect(await readSubscriptions()).toHaveLength(1);
  });

  it('clears the failures once a delivery succeeds', async () => {
    fakeCallbacks(() => new Response('down', { status: 503 }));
    await runQueue([await message('/rss.xml')]);
    fakeCallbacks(accept);
    await runQueue([await message('/rss.xml')], { attempts: 2 });
    expect(await readSubscriptions()).toMatchObject([{ failures: 0, last_failure: null }]);
  });
});

describe('the dead-letter queue', () => {
  it('records a delivery that exhausted its retries, with the subscriber’s last failure', async () => {
    await insertSubscription({ topic: `${ORIGIN}/rss.xml`, callback: CALLBACK });
    fakeCallbacks(() => new Response('down', { status: 502 }));
    const dead = await message('/rss.xml');
    await runQueue([dead], { attempts: 8 });
    const { sent } = fakeCallbacks(accept);
    const { result, ids } = await runQueue([dead], { queue: HUB_DEAD_LETTER_QUEUE_NAME });
    expect(sent).toEqual([]); // recorded, not sent again
    expect(result.explicitAcks).toEqual(ids);
    const { results } = await env.DB.prepare('SELECT * FROM dead_letters').all();
    expect(results).toMatchObject([
      {
        kind: 'deliver',
        topic: `${ORIGIN}/rss.xml`,
        target: CALLBACK,
        build_id: build.record.buildId,
        failures: 1,
        last_failure: 'the callback answered 502',
      },
    ]);
  });

  it('records a publish ping to an external hub that never got through', async () => {
    const ping = {
      kind: 'ping',
      buildId: build.record.buildId,
      topic: `${ORIGIN}/rss.xml`,
      hubUrl: 'https://hub.example.net/',
    };
    await runQueue([ping], { queue: HUB_DEAD_LETTER_QUEUE_NAME });
    const { results } = await env.DB.prepare(
      'SELECT kind, target, failures FROM dead_letters',
    ).all();
    expect(results).toEqual([{ kind: 'ping', target: 'https://hub.example.net/', failures: null }]);
  });
});

describe('malformed messages', () => {
  it('are logged and acked: they can never succeed', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const { sent } = fakeCallbacks(accept);
    const { result, ids } = await runQueue([{ kind: 'deliver', path: '/rss.xml' }, 'hello']);
    expect(sent).toEqual([]);
    expect(result.explicitAcks).toEqual(ids);
    expect(error).toHaveBeenCalledTimes(2);
  });
});

describe('publish pings to an external hub (--hub-url)', () => {
  const ping = () => ({
    kind: 'ping',
    buildId: build.record.buildId,
    topic: `${ORIGIN}/topics/ai/rss.xml`,
    hubUrl: 'https://hub.example.net/publish',
  });

  it('POST a form with hub.mode=publish and the topic as hub.url and hub.topic (§6)', async () => {
    const { sent } = fakeCallbacks(() => new Response(null, { status: 204 }));
    const { result, ids } = await runQueue([ping()]);
    expect(result.explicitAcks).toEqual(ids);
    expect(sent[0]?.url.href).toBe('https://hub.example.net/publish');
    expect(sent[0]?.headers.get('Content-Type')).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(new TextDecoder().decode(sent[0]?.body));
    expect(Object.fromEntries(form)).toEqual({
      'hub.mode': 'publish',
      'hub.url': `${ORIGIN}/topics/ai/rss.xml`,
      'hub.topic': `${ORIGIN}/topics/ai/rss.xml`,
    });
  });

  it('retries a ping the hub refused', async () => {
    fakeCallbacks(() => new Response('no', { status: 500 }));
    const { retries } = await runQueue([ping()], { attempts: 2 });
    expect(retries).toEqual([expect.objectContaining({ delaySeconds: 120 })]);
  });
});
