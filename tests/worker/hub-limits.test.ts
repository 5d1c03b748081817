import { env } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import {
  MAX_PENDING_PER_CALLBACK_HOST,
  MAX_PENDING_TOTAL,
  MAX_SUBSCRIPTIONS_PER_CALLBACK_HOST,
  MAX_SUBSCRIPTIONS_PER_TOPIC,
} from '../../src/worker/hub/hub-limits.ts';
import { echoChallenge, fakeCallbacks } from './support/fake-callbacks.ts';
import { ORIGIN, postHub, randomClient } from './support/hub-client.ts';
import { loadBuild } from './support/load-build.ts';
import {
  clearHubTables,
  insertSubscription,
  readSubscriptions,
} from './support/read-subscriptions.ts';

// Caps that keep one party from filling the table or using the hub as a request reflector,
// and the per-client rate limit on POST /hub.
const TOPIC = `${ORIGIN}/topics/cloud/rss.xml`;

beforeAll(async () => {
  await loadBuild(env.FEEDS, inject('fixtureBuild'));
});

beforeEach(clearHubTables);

afterEach(() => {
  vi.restoreAllMocks();
});

function subscribe(callback: string, topic = TOPIC) {
  return postHub({ 'hub.mode': 'subscribe', 'hub.topic': topic, 'hub.callback': callback });
}

/** Many rows at once, in batches (D1 binds at most 100 parameters per statement). */
async function fillSubscriptions(
  count: number,
  row: (i: number) => { topic: string; callback: string },
) {
  const statements = Array.from({ length: count }, (_, i) => {
    const { topic, callback } = row(i);
    return env.DB.prepare(
      `INSERT INTO subscriptions (topic, callback, callback_host, lease_seconds, verified_at, expires_at)
       VALUES (?1, ?2, ?3, 864000, ?4, ?5)`,
    ).bind(topic, callback, new URL(callback).hostname, Date.now(), Date.now() + 864000_000);
  });
  for (let i = 0; i < statements.length; i += 200) await env.DB.batch(statements.slice(i, i + 200));
}

async function fillPending(count: number, host: (i: number) => string, requestedAt = Date.now()) {
  const statements = Array.from({ length: count }, (_, i) =>
    env.DB.prepare(
      `INSERT INTO pending_verifications (id, mode, topic, callback, callback_host, requested_at)
       VALUES (?1, 'subscribe', ?2, ?3, ?4, ?5)`,
    ).bind(`p${i}`, TOPIC, `https://${host(i)}/cb${i}`, host(i), requestedAt),
  );
  for (let i = 0; i < statements.length; i += 200) await env.DB.batch(statements.slice(i, i + 200));
}

describe('subscriptions per topic', () => {
  it(`refuses a new subscriber with 403 once a topic has ${MAX_SUBSCRIPTIONS_PER_TOPIC}`, async () => {
    await fillSubscriptions(MAX_SUBSCRIPTIONS_PER_TOPIC, (i) => ({
      topic: TOPIC,
      callback: `https://host${i}.example/cb`,
    }));
    const { sent } = fakeCallbacks(echoChallenge);
    const response = await subscribe('https://newcomer.example/cb');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain(
      `as many subscriptions as the hub takes (${MAX_SUBSCRIPTIONS_PER_TOPIC})`,
    );
    expect(sent).toEqual([]);
  });

  it('still lets a subscriber of a full topic renew its own subscription', async () => {
    await fillSubscriptions(MAX_SUBSCRIPTIONS_PER_TOPIC, (i) => ({
      topic: TOPIC,
      callback: `https://host${i}.example/cb`,
    }));
    fakeCallbacks(echoChallenge);
    const response = await subscribe('https://host7.example/cb');
    expect(response.status).toBe(202);
  });

  it('does not count expired subscriptions against the cap', async () => {
    await fillSubscriptions(MAX_SUBSCRIPTIONS_PER_TOPIC, (i) => ({
      topic: TOPIC,
      callback: `https://host${i}.example/cb`,
    }));
    await env.DB.prepare('UPDATE subscriptions SET expires_at = 1 WHERE callback_host = ?1')
      .bind('host3.example')
      .run();
    fakeCallbacks(echoChallenge);
    expect((await subscribe('https://newcomer.example/cb')).status).toBe(202);
  });
});

describe('subscriptions per callback host', () => {
  it(`refuses with 403 once one host holds ${MAX_SUBSCRIPTIONS_PER_CALLBACK_HOST}`, async () => {
    await fillSubscriptions(MAX_SUBSCRIPTIONS_PER_CALLBACK_HOST, (i) => ({
      topic: `${ORIGIN}/topics/t${i}/rss.xml`,
      callback: `https://greedy.example/cb/${i}`,
    }));
    const { sent } = fakeCallbacks(echoChallenge);
    const response = await subscribe('https://greedy.example/cb/new');
    expect(response.status).toBe(403);
    expect(await response.text()).toContain('Callbacks on greedy.example hold');
    expect(sent).toEqual([]);
    expect((await subscribe('https://modest.example/cb')).status).toBe(202);
  });
});

describe('verifications in flight', () => {
  it(`answers 429 when ${MAX_PENDING_PER_CALLBACK_HOST} are already running towards the host`, async () => {
    await fillPending(MAX_PENDING_PER_CALLBACK_HOST, () => 'victim.example');
    const { sent } = fakeCallbacks(echoChallenge);
    const response = await subscribe('https://victim.example/cb');
    expect(response.status).toBe(429);
    expect(response.headers.get('Retry-After')).toBe('60');
    expect(await response.text()).toContain(
      'victim.example already has 10 verifications in progress',
    );
    expect(sent).toEqual([]);
    expect((await subscribe('https://other.example/cb')).status).toBe(202);
  });

  it(`answers 429 when ${MAX_PENDING_TOTAL} are running in all`, async () => {
    await fillPending(MAX_PENDING_TOTAL, (i) => `h${i}.example`);
    fakeCallbacks(echoChallenge);
    const response = await subscribe('https://fresh.example/cb');
    expect(response.status).toBe(429);
    expect(await response.text()).toContain('too many verifications in progress');
  });

  it('ignores pending rows older than a minute: their verification was lost', async () => {
    await fillPending(MAX_PENDING_PER_CALLBACK_HOST, () => 'victim.example', Date.now() - 61_000);
    fakeCallbacks(echoChallenge);
    expect((await subscribe('https://victim.example/cb')).status).toBe(202);
  });

  it('counts unsubscriptions too: each one is a request sent on a stranger’s word', async () => {
    await fillPending(MAX_PENDING_PER_CALLBACK_HOST, () => 'victim.example');
    fakeCallbacks(echoChallenge);
    const response = await postHub({
      'hub.mode': 'unsubscribe',
      'hub.topic': TOPIC,
      'hub.callback': 'https://victim.example/cb',
    });
    expect(response.status).toBe(429);
  });
});

describe('the per-client rate limit (HUB_RATE_LIMIT: 30 a minute)', () => {
  it('answers 429 with Retry-After to the 31st request of a minute from one address', async () => {
    // The limiter counts in windows aligned to the wall clock: start well inside one.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_500 - intoMinute));
    const client = randomClient();
    fakeCallbacks(echoChallenge);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) {
      const response = await postHub(
        { 'hub.mode': 'subscribe', 'hub.topic': TOPIC, 'hub.callback': `https://c${i}.example/cb` },
        { client },
      );
      statuses.push(response.status);
    }
    expect(statuses.slice(0, 30).every((status) => status === 202)).toBe(true);
    expect(statuses[30]).toBe(429);
    const last = await postHub(
      { 'hub.mode': 'subscribe', 'hub.topic': TOPIC, 'hub.callback': 'https://late.example/cb' },
      { client },
    );
    expect(last.headers.get('Retry-After')).toBe('60');
    expect(await last.text()).toContain('Too many hub requests from this address');
    expect(await readSubscriptions()).toHaveLength(30);
    // Another address is not affected.
    expect((await subscribe('https://neighbour.example/cb')).status).toBe(202);
  }, 90_000);
});

describe('inserting a verified subscription directly (test support)', () => {
  it('reads back what it wrote', async () => {
    await insertSubscription({ topic: TOPIC, callback: 'https://r.example/cb' });
    expect(await readSubscriptions()).toMatchObject([{ topic: TOPIC, callback_host: 'r.example' }]);
  });
});
