import { env } from 'cloudflare:test';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { checkCallback } from '../../src/worker/hub/check-callback.ts';
import { echoChallenge, fakeCallbacks } from './support/fake-callbacks.ts';
import { hubEnv, ORIGIN, postHub } from './support/hub-client.ts';
import { loadBuild } from './support/load-build.ts';
import { clearHubTables, readSubscriptions } from './support/read-subscriptions.ts';

// The hub sends requests wherever a stranger asks, so a callback must be a public http(s)
// URL: never this machine (unless HUB_ALLOW_LOOPBACK=true), never a private, link-local or
// reserved network, however the address is spelled.

function refused(callback: string, allowLoopback = false): string | undefined {
  const check = checkCallback(callback, allowLoopback);
  return check.ok ? undefined : check.reason;
}

describe('loopback, in every spelling the URL parser accepts', () => {
  it.each([
    'http://127.0.0.1/cb',
    'http://127.0.0.1.:8080/cb',
    'http://127.255.255.254/cb',
    'http://0x7f.1/cb',
    'http://0x7f000001/cb',
    'http://2130706433/cb',
    'http://0177.0.0.1/cb',
    'http://127.1/cb',
    'http://[::1]/cb',
    'http://[0:0:0:0:0:0:0:1]/cb',
    'http://[::ffff:127.0.0.1]/cb',
    'http://[::ffff:7f00:1]/cb',
    'http://[::127.0.0.1]/cb',
    'http://[64:ff9b::7f00:1]/cb',
    'http://[2002:7f00:1::]/cb',
    'http://localhost/cb',
    'http://LOCALHOST./cb',
    'http://api.localhost/cb',
  ])('refuses %s', (callback) => {
    expect(refused(callback)).toMatch(/loopback/);
  });

  it.each(['http://127.0.0.1:8841/cb', 'http://[::1]:8841/cb', 'http://localhost:8841/cb'])(
    'allows %s when HUB_ALLOW_LOOPBACK is on',
    (callback) => {
      expect(refused(callback, true)).toBeUndefined();
    },
  );

  it('still refuses private networks when loopback is allowed', () => {
    expect(refused('http://192.168.1.10/cb', true)).toMatch(/private/);
    expect(refused('http://[fd00::1]/cb', true)).toMatch(/private/);
  });
});

describe('private, link-local and reserved networks', () => {
  it.each([
    ['http://10.0.0.1/', /private/],
    ['http://10.255.255.255/', /private/],
    ['http://172.16.0.1/', /private/],
    ['http://172.31.255.255/', /private/],
    ['http://192.168.0.1/', /private/],
    ['http://100.64.0.1/', /private/], // CGNAT (RFC 6598)
    ['http://100.127.255.255/', /private/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/], // cloud metadata
    ['http://0.0.0.0/', /reserved/],
    ['http://0/', /reserved/],
    ['http://192.0.2.10/', /reserved/],
    ['http://198.18.0.1/', /reserved/],
    ['http://224.0.0.1/', /reserved/],
    ['http://255.255.255.255/', /reserved/],
    ['http://0xa9fea9fe/', /link-local/], // 169.254.169.254 in hex
    ['http://[fc00::1]/', /private/], // ULA
    ['http://[fdff:ffff::1]/', /private/],
    ['http://[fe80::1]/', /link-local/],
    ['http://[febf::1]/', /link-local/],
    ['http://[fec0::1]/', /private/],
    ['http://[::]/', /reserved/],
    ['http://[::ffff:10.0.0.1]/', /private/],
    ['http://[::ffff:a9fe:a9fe]/', /link-local/],
    ['http://[64:ff9b:1::1]/', /private/],
    ['http://[2001:db8::1]/', /reserved/],
    ['http://[2001::1]/', /reserved/], // Teredo
    ['http://[ff02::1]/', /reserved/],
    ['http://printer.local/', /not a public host name/],
    ['http://metadata.google.internal/', /not a public host name/],
    ['http://router.home.arpa/', /not a public host name/],
    ['http://intranet/', /not a public host name/],
  ])('refuses %s', (callback, reason) => {
    expect(refused(callback)).toMatch(reason);
  });

  it.each([
    'https://reader.example/cb',
    'http://reader.example:8080/cb?x=1',
    'https://93.184.215.14/cb',
    'http://172.32.0.1/cb',
    'http://100.128.0.1/cb',
    'http://11.0.0.1/cb',
    'https://[2606:4700::6810:84e5]/cb',
    'https://[::ffff:93.184.215.14]/cb',
    'https://xn--bcher-kva.example/cb',
  ])('accepts the public %s', (callback) => {
    expect(refused(callback)).toBeUndefined();
  });

  it('drops a fragment (never sent) and keeps the rest exactly', () => {
    const check = checkCallback('https://reader.example/cb?a=1&b=%20#frag', false);
    expect(check.ok && check.url.href).toBe('https://reader.example/cb?a=1&b=%20');
  });
});

describe('HUB_ALLOW_LOOPBACK through POST /hub', () => {
  const TOPIC = `${ORIGIN}/rss.xml`;
  const LOCAL = 'http://127.0.0.1:8841/websub';

  beforeAll(async () => {
    await loadBuild(env.FEEDS, inject('fixtureBuild'));
  });

  beforeEach(clearHubTables);

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('is off in wrangler.toml: a loopback callback is refused', async () => {
    expect(env.HUB_ALLOW_LOOPBACK).toBe('false');
    fakeCallbacks(echoChallenge);
    const response = await postHub({
      'hub.mode': 'subscribe',
      'hub.topic': TOPIC,
      'hub.callback': LOCAL,
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('HUB_ALLOW_LOOPBACK=true');
  });

  it('when "true" (npm start), a loopback callback is verified and subscribed', async () => {
    const { sent } = fakeCallbacks(echoChallenge);
    const response = await postHub(
      { 'hub.mode': 'subscribe', 'hub.topic': TOPIC, 'hub.callback': LOCAL },
      { env: hubEnv({ HUB_ALLOW_LOOPBACK: 'true' }) },
    );
    expect(response.status).toBe(202);
    expect(sent[0]?.url.host).toBe('127.0.0.1:8841');
    expect((await readSubscriptions())[0]?.callback).toBe(LOCAL);
  });

  it('takes only the exact value "true"', async () => {
    fakeCallbacks(echoChallenge);
    const response = await postHub(
      { 'hub.mode': 'subscribe', 'hub.topic': TOPIC, 'hub.callback': LOCAL },
      { env: hubEnv({ HUB_ALLOW_LOOPBACK: '1' }) },
    );
    expect(response.status).toBe(400);
  });
});
