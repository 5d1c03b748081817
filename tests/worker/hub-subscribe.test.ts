import { env } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { echoChallenge, fakeCallbacks } from './support/fake-callbacks.ts';
import { ORIGIN, postHub } from './support/hub-client.ts';
import { loadBuild } from './support/load-build.ts';
import { clearHubTables, readSubscriptions } from './support/read-subscriptions.ts';

// W3C WebSub §5: subscribing and unsubscribing, with verification of intent (§5.3).
const TOPIC = `${ORIGIN}/rss.xml`;
const CALLBACK = 'https://reader.example/websub/callback/7f3a';

beforeAll(async () => {
  await loadBuild(env.FEEDS, inject('fixtureBuild'));
});

beforeEach(clearHubTables);

afterEach(() => {
  vi.restoreAllMocks();
});

function subscribe(extra: Record<string, string> = {}) {
  return postHub({
    'hub.mode': 'subscribe',
    'hub.topic': TOPIC,
    'hub.callback': CALLBACK,
    ...extra,
  });
}

describe('a subscription request (§5.1)', () => {
  it('answers 202 Accepted with a plain-text note', async () => {
    fakeCallbacks(echoChallenge);
    const response = await subscribe();
    expect(response.status).toBe(202);
    expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect(await response.text()).toContain('Accepted');
  });

  it('verifies intent with a GET carrying mode, topic, challenge and lease (§5.3)', async () => {
    const { sent } = fakeCallbacks(echoChallenge);
    await subscribe();
    expect(sent).toHaveLength(1);
    const [verification] = sent;
    expect(verification?.method).toBe('GET');
    expect(`${verification?.url.origin}${verification?.url.pathname}`).toBe(CALLBACK);
    const query = verification?.url.searchParams;
    expect(query?.get('hub.mode')).toBe('subscribe');
    expect(query?.get('hub.topic')).toBe(TOPIC);
    expect(query?.get('hub.challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(query?.get('hub.lease_seconds')).toBe('864000');
  });

  it('activates the subscription once the callback echoes the challenge', async () => {
    fakeCallbacks(echoChallenge);
    const before = Date.now();
    await subscribe();
    const rows = await readSubscriptions();
    expect(rows).toMatchObject([
      { topic: TOPIC, callback: CALLBACK, callback_host: 'reader.example', secret: null },
    ]);
    const [row] = rows;
    expect(row?.expires_at).toBe((row?.verified_at ?? 0) + 864000 * 1000);
    expect(row?.verified_at).toBeGreaterThanOrEqual(before);
  });

  it('sends a new random challenge every time (§8.2: single-use)', async () => {
    const { sent } = fakeCallbacks(echoChallenge);
    await subscribe();
    await subscribe();
    const [first, second] = sent.map((s) => s.url.searchParams.get('hub.challenge'));
    expect(first).not.toBe(second);
  });

  it('keeps the callback’s own query string and appends its parameters with & (§5.1.1)', async () => {
    const { sent } = fakeCallbacks(echoChallenge);
    const callback = 'https://reader.example/cb?feed=42&hub.mode=mine&x=a%20b';
    await postHub({ 'hub.mode': 'subscribe', 'hub.topic': TOPIC, 'hub.callback': callback });
    const url = sent[0]?.url.href ?? '';
    expect(url.startsWith(`${callback}&hub.mode=subscribe&`)).toBe(true);
    expect(sent[0]?.url.searchParams.getAll('hub.mode')).toEqual(['mine', 'subscribe']);
    expect((await readSubscriptions())[0]?.callback).toBe(callback);
  });

  it('does not follow a redirect from the callback: a 3xx fails verification', async () => {
    const { sent } = fakeCallbacks((s) =>
      s.url.hostname === 'reader.example'
        ? new Response(null, { status: 302, headers: { Location: 'https://elsewhere.example/' } })
        : echoChallenge(s),
    );
    await subscribe();
    expect(sent).toHaveLength(1);
    expect(sent[0]?.redirect).toBe('manual');
    expect(await readSubscriptions()).toEqual([]);
  });
});

describe('leases (§5.3, §8.2)', () => {
  it.each([
    ['none', undefined, 864000],
    ['a day', '86400', 86400],
    ['a minute, raised to an hour', '60', 3600],
    ['a year, cut to 30 days', '31536000', 2592000],
  ])('grants %s', async (_, requested, granted) => {
    const { sent } = fakeCallbacks(echoChallenge);
    await subscribe(requested === undefined ? {} : { 'hub.lease_seconds': requested });
    expect(sent[0]?.url.searchParams.get('hub.lease_seconds')).toBe(String(granted));
    expect((await readSubscriptions())[0]?.lease_seconds).toBe(granted);
  });
});

describe('unsubscribing (§5.1, §5.3)', () => {
  it('verifies with hub.mode=unsubscribe and no lease, then deletes the subscription', async () => {
    const { sent } = fakeCallbacks(echoChallenge);
    await subscribe();
    expect(await readSubscriptions()).toHaveLength(1);
    const response = await postHub({
      'hub.mode': 'unsubscribe',
      'hub.topic': TOPIC,
      'hub.callback': CALLBACK,
      'hub.lease_seconds': 'ignored',
    });
    expect(response.status).toBe(202);
    const query = sent[1]?.url.searchParams;
    expect(query?.get('hub.mode')).toBe('unsubscribe');
    expect(query?.get('hub.topic')).toBe(TOPIC);
    expect(query?.has('hub.lease_seconds')).toBe(false);
    expect(await readSubscriptions()).toEqual([]);
  });

  it('leaves the subscription when the callback does not confirm the unsubscription', async () => {
    fakeCallbacks(echoChallenge);
    await subscribe();
    fakeCallbacks(() => new Response('no', { status: 404 }));
    await postHub({ 'hub.mode': 'unsubscribe', 'hub.topic': TOPIC, 'hub.callback': CALLBACK });
    expect(await readSubscriptions()).toHaveLength(1);
  });
});
