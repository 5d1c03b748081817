import { env } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { echoChallenge, fakeCallbacks, type SentRequest } from './support/fake-callbacks.ts';
import { ORIGIN, postHub } from './support/hub-client.ts';
import { loadBuild } from './support/load-build.ts';
import { clearHubTables, readSubscriptions } from './support/read-subscriptions.ts';

// W3C WebSub §5.3.1: only a 2xx whose body is the challenge verifies; anything else fails,
// and a failed verification leaves the subscription state as it was (§5.1).
const TOPIC = `${ORIGIN}/topics/ai/atom.xml`;
const CALLBACK = 'https://reader.example/push/ai';

beforeAll(async () => {
  await loadBuild(env.FEEDS, inject('fixtureBuild'));
});

beforeEach(async () => {
  await clearHubTables();
  vi.spyOn(console, 'log').mockImplementation(() => {});
});

afterEach(() => {
  vi.useRealTimers();
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

function challengeOf(sent: SentRequest): string {
  return sent.url.searchParams.get('hub.challenge') ?? '';
}

async function pendingCount(): Promise<number> {
  const row = await env.DB.prepare('SELECT COUNT(*) AS n FROM pending_verifications').first<{
    n: number;
  }>();
  return row?.n ?? -1;
}

describe('what verifies a subscription (§5.3.1)', () => {
  it.each([
    ['200 with the challenge', (s: SentRequest) => new Response(challengeOf(s))],
    ['201 with the challenge', (s: SentRequest) => new Response(challengeOf(s), { status: 201 })],
    ['the challenge and a newline (echo)', (s: SentRequest) => new Response(`${challengeOf(s)}\n`)],
  ])('%s', async (_, answer) => {
    fakeCallbacks(answer);
    await subscribe();
    expect(await readSubscriptions()).toHaveLength(1);
  });
});

describe('what does not (§5.3.1: other codes, or a body that is not the challenge)', () => {
  it.each([
    [
      '404 (the subscriber does not agree)',
      () => new Response('no such subscription', { status: 404 }),
    ],
    ['500', () => new Response('oops', { status: 500 })],
    ['a 3xx', () => new Response(null, { status: 301, headers: { Location: '/x' } })],
    ['200 with an empty body', () => new Response('')],
    ['200 with another body', () => new Response('hello')],
    ['200 with the challenge twice', (s: SentRequest) => new Response(challengeOf(s).repeat(2))],
    [
      '200 with the challenge and 2 KB more',
      (s: SentRequest) => new Response(`${challengeOf(s)}${' '.repeat(2048)}`),
    ],
    ['a network error', () => Promise.reject(new TypeError('connection refused'))],
  ])('%s', async (_, answer) => {
    fakeCallbacks(answer);
    const response = await subscribe();
    expect(response.status).toBe(202); // §5.1.2: the answer never depends on verification
    expect(await readSubscriptions()).toEqual([]);
  });

  it('gives up after 10 seconds without an answer', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let signal: AbortSignal | undefined;
    let asked: () => void = () => {};
    const askedPromise = new Promise<void>((resolve) => {
      asked = resolve;
    });
    fakeCallbacks((sent) => {
      signal = sent.signal;
      asked();
      // A callback that never answers: only the hub's own abort ends the request.
      return new Promise<Response>((_, reject) => {
        sent.signal?.addEventListener('abort', () => reject(sent.signal?.reason));
      });
    });
    const done = subscribe();
    await askedPromise;
    vi.advanceTimersByTime(9_999);
    expect(signal?.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toMatchObject({ name: 'TimeoutError' });
    expect((await done).status).toBe(202);
    expect(await readSubscriptions()).toEqual([]);
  });

  it('logs why a verification failed, naming the callback host but not the secret', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    fakeCallbacks(() => new Response('nope', { status: 403 }));
    await subscribe({ 'hub.secret': 'do-not-log-me' });
    const lines = log.mock.calls.map((call) => String(call[0]));
    expect(lines.some((line) => line.includes('reader.example') && line.includes('403'))).toBe(
      true,
    );
    expect(lines.join('\n')).not.toContain('do-not-log-me');
  });

  it('leaves no verification pending once it has finished, whatever the outcome', async () => {
    fakeCallbacks(echoChallenge);
    await subscribe();
    fakeCallbacks(() => new Response('', { status: 500 }));
    await subscribe({ 'hub.callback': 'https://other.example/cb' });
    expect(await pendingCount()).toBe(0);
  });
});

describe('re-subscribing (§5.1: the new state replaces the old once verified)', () => {
  it('replaces secret, lease and signature choice after a verified re-subscription', async () => {
    fakeCallbacks(echoChallenge);
    await subscribe({ 'hub.secret': 'first-secret', 'hub.lease_seconds': '7200' });
    await subscribe({
      'hub.secret': 'second-secret',
      'hub.lease_seconds': '86400',
      'hub.signature': 'sha512',
    });
    expect(await readSubscriptions()).toMatchObject([
      {
        topic: TOPIC,
        callback: CALLBACK,
        secret: 'second-secret',
        lease_seconds: 86400,
        signature: 'sha512',
      },
    ]);
  });

  it('drops the secret when a verified re-subscription comes without one', async () => {
    fakeCallbacks(echoChallenge);
    await subscribe({ 'hub.secret': 'first-secret' });
    await subscribe();
    expect((await readSubscriptions())[0]?.secret).toBeNull();
  });

  it('changes nothing when the re-subscription fails verification', async () => {
    fakeCallbacks(echoChallenge);
    await subscribe({ 'hub.secret': 'first-secret', 'hub.lease_seconds': '7200' });
    const before = await readSubscriptions();
    fakeCallbacks(() => new Response('not me', { status: 404 }));
    await subscribe({ 'hub.secret': 'attacker-secret', 'hub.lease_seconds': '86400' });
    expect(await readSubscriptions()).toEqual(before);
  });

  it('renews the lease from the time of the new verification request (§5.3)', async () => {
    fakeCallbacks(echoChallenge);
    await subscribe({ 'hub.lease_seconds': '7200' });
    const [first] = await readSubscriptions();
    await new Promise((resolve) => setTimeout(resolve, 5));
    await subscribe({ 'hub.lease_seconds': '7200' });
    const [second] = await readSubscriptions();
    expect(second?.verified_at).toBeGreaterThan(first?.verified_at ?? Number.POSITIVE_INFINITY);
    expect(second?.expires_at).toBe((second?.verified_at ?? 0) + 7200 * 1000);
  });

  it('sends the verification GET without a body', async () => {
    const { sent } = fakeCallbacks(echoChallenge);
    await subscribe();
    expect(sent[0]?.method).toBe('GET');
    expect(sent[0]?.body.byteLength).toBe(0);
  });
});
