import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { app } from '../../src/worker/app.ts';
import { echoChallenge, fakeCallbacks } from './support/fake-callbacks.ts';
import { HUB, ORIGIN, postHub } from './support/hub-client.ts';
import { loadBuild } from './support/load-build.ts';
import { clearHubTables, readSubscriptions } from './support/read-subscriptions.ts';

// §5.1.2: "If a hub finds any errors in the subscription request, an appropriate HTTP error
// response code (4xx or 5xx) MUST be returned … a description of the error in the response
// body as plain text". A refused request sends nothing anywhere and stores nothing.
const TOPIC = `${ORIGIN}/feed.json`;
const CALLBACK = 'https://reader.example/cb';

beforeAll(async () => {
  await loadBuild(env.FEEDS, inject('fixtureBuild'));
});

beforeEach(clearHubTables);

afterEach(() => {
  vi.restoreAllMocks();
});

async function expectRefusal(
  params: Record<string, string> | string,
  status: number,
  reason: string | RegExp,
  options: Parameters<typeof postHub>[1] = {},
) {
  const { sent } = fakeCallbacks(echoChallenge);
  const response = await postHub(params, options);
  expect(response.status).toBe(status);
  expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
  expect(await response.text()).toMatch(reason);
  expect(sent).toEqual([]);
  expect(await readSubscriptions()).toEqual([]);
}

const valid = { 'hub.mode': 'subscribe', 'hub.topic': TOPIC, 'hub.callback': CALLBACK };

describe('bad parameters: 400 naming the parameter', () => {
  it.each([
    ['no hub.mode', { 'hub.topic': TOPIC, 'hub.callback': CALLBACK }, /hub\.mode is required/],
    [
      'an unknown hub.mode',
      { ...valid, 'hub.mode': 'follow' },
      /hub\.mode must be subscribe or unsubscribe, not "follow"/,
    ],
    [
      'no hub.topic',
      { 'hub.mode': 'subscribe', 'hub.callback': CALLBACK },
      /hub\.topic is required/,
    ],
    [
      'no hub.callback',
      { 'hub.mode': 'subscribe', 'hub.topic': TOPIC },
      /hub\.callback is required/,
    ],
    [
      'a lease that is not a number',
      { ...valid, 'hub.lease_seconds': '10 days' },
      /hub\.lease_seconds must be a positive whole number/,
    ],
    ['a negative lease', { ...valid, 'hub.lease_seconds': '-5' }, /hub\.lease_seconds/],
    [
      'an unknown signature algorithm',
      { ...valid, 'hub.secret': 's', 'hub.signature': 'md5' },
      /hub\.signature must be one of sha256, sha384, sha512, sha1/,
    ],
  ])('%s', async (_, params, reason) => {
    await expectRefusal(params, 400, reason);
  });

  it('refuses hub.mode=publish from outside: this hub publishes on its own deploys', async () => {
    await expectRefusal(
      { 'hub.mode': 'publish', 'hub.url': TOPIC },
      400,
      /hub\.mode=publish is not accepted/,
    );
  });

  it('refuses a secret of 200 bytes and takes one of 199 (§5.1: "less than 200 bytes")', async () => {
    await expectRefusal(
      { ...valid, 'hub.secret': 'x'.repeat(200) },
      400,
      /hub\.secret must be less than 200 bytes; this one has 200/,
    );
    fakeCallbacks(echoChallenge);
    const response = await postHub({ ...valid, 'hub.secret': 'x'.repeat(199) });
    expect(response.status).toBe(202);
  });

  it('counts a secret in UTF-8 bytes, not characters', async () => {
    await expectRefusal({ ...valid, 'hub.secret': 'é'.repeat(100) }, 400, /this one has 200/);
  });
});

describe('topics: only the subscription documents of the build served now', () => {
  it.each([
    ['another site', 'https://elsewhere.example/rss.xml'],
    ['the same host over another scheme', 'http://feeds.test/rss.xml'],
    ['an unknown topic', `${ORIGIN}/topics/nope/rss.xml`],
    ['an HTML page', `${ORIGIN}/topics/ai/`],
    ['the feed list', `${ORIGIN}/feeds.json`],
    ['the OPML list', `${ORIGIN}/opml.xml`],
    ['an archive page (sealed, never updated)', `${ORIGIN}/archive/1/rss.xml`],
    ['a relative URL', '/rss.xml'],
  ])('refuses %s', async (_, topic) => {
    await expectRefusal({ ...valid, 'hub.topic': topic }, 400, /hub\.topic/);
  });

  it('refuses a topic with a query string: the topic is the feed URL exactly', async () => {
    await expectRefusal({ ...valid, 'hub.topic': `${TOPIC}?utm=1` }, 400, /without a query string/);
  });

  it('reads the topic as the worker reads paths, and stores its canonical spelling', async () => {
    fakeCallbacks(echoChallenge);
    const response = await postHub({ ...valid, 'hub.topic': `${ORIGIN}/topics/%61i/rss%2Exml` });
    expect(response.status).toBe(202);
    expect((await readSubscriptions())[0]?.topic).toBe(`${ORIGIN}/topics/ai/rss.xml`);
  });
});

describe('callbacks the hub will not call: 400 with the reason', () => {
  it.each([
    ['not a URL', 'reader', /not an absolute URL/],
    ['an ftp URL', 'ftp://reader.example/cb', /http or https/],
    ['a javascript: URL', 'javascript:alert(1)', /http or https/],
    ['userinfo', 'https://user:pass@reader.example/cb', /user name or password/],
    ['loopback', 'http://127.0.0.1:8840/cb', /loopback/],
    ['a private address', 'http://10.1.2.3/cb', /private network address/],
    ['a .internal name', 'https://hub-sink.internal/cb', /not a public host name/],
    ['a 3 KB URL', `https://reader.example/${'a'.repeat(3000)}`, /longer than 2048/],
  ])('%s', async (_, callback, reason) => {
    await expectRefusal({ ...valid, 'hub.callback': callback }, 400, reason);
  });
});

describe('the request itself', () => {
  it('answers 415 to a body that is not a form', async () => {
    await expectRefusal(JSON.stringify(valid), 415, /application\/x-www-form-urlencoded/, {
      contentType: 'application/json',
    });
  });

  it('answers 413 to a body over 16 KB', async () => {
    const body = `${new URLSearchParams(valid).toString()}&pad=${'a'.repeat(17 * 1024)}`;
    await expectRefusal(body, 413, /under 16384 bytes/);
  });

  it('answers 405 with Allow: POST to a GET of /hub', async () => {
    const ctx = createExecutionContext();
    const response = await app.request(HUB, {}, env, ctx);
    await waitOnExecutionContext(ctx);
    expect(response.status).toBe(405);
    expect(response.headers.get('Allow')).toBe('POST');
    expect(await response.text()).toContain('WebSub hub');
  });

  it('answers 503 when no build is served, so there is nothing to subscribe to', async () => {
    const pointer = await env.FEEDS.get('meta:current');
    await env.FEEDS.delete('meta:current');
    try {
      const response = await postHub(valid);
      expect(response.status).toBe(503);
      expect(await response.text()).toContain('No build is served');
    } finally {
      if (pointer !== null) await env.FEEDS.put('meta:current', pointer);
    }
  });
});
