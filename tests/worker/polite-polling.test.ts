import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  POLLING_LIMIT,
  POLLING_WINDOW_MS,
  type PolitePolling,
} from '../../src/worker/stats/polite-polling.ts';
import { fetchSettled, loadStatsSite, rowsOf, statsEnv } from './support/stats-site.ts';

const MINUTE = 60_000;
const ADDRESS = '198.51.100.23';
const AGENT = 'PollingTest/1.0 (the object)';
const T0 = Date.parse('2026-03-10T12:00:00Z');

/** A reader of its own for each test: a User-Agent nobody else uses. */
function reader(name: string): Record<string, string> {
  return { 'User-Agent': `PollingTest/1.0 (${name})`, 'CF-Connecting-IP': '192.0.2.10' };
}

async function fetchTimes(times: number, path: string, headers: Record<string, string>) {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++)
    statuses.push((await fetchSettled(path, { headers })).response.status);
  return statuses;
}

function objectFor(name: string): DurableObjectStub<PolitePolling> {
  return env.POLITENESS.get(env.POLITENESS.idFromName(name));
}

beforeAll(loadStatsSite);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('polite polling over HTTP', () => {
  it('answers the 11th unconditional fetch within 10 minutes with 429, Retry-After and a reason', async () => {
    const headers = reader('eleven');
    expect(await fetchTimes(10, '/rss.xml', headers)).toEqual(Array(10).fill(200));
    const { response, body } = await fetchSettled('/rss.xml', { headers });
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThan(POLLING_WINDOW_MS / 1000 - 60);
    expect(retryAfter).toBeLessThanOrEqual(POLLING_WINDOW_MS / 1000);
    expect(response.headers.get('Content-Type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(body).toContain('more than 10 in 10 minutes');
    expect(body).toContain('If-None-Match');
  });

  it('never limits conditional requests, however many', async () => {
    const headers = reader('conditional');
    const first = await fetchSettled('/atom.xml', { headers });
    const etag = first.response.headers.get('ETag') ?? '';
    const lastModified = first.response.headers.get('Last-Modified') ?? '';
    expect(await fetchTimes(15, '/atom.xml', { ...headers, 'If-None-Match': etag })).toEqual(
      Array(15).fill(304),
    );
    expect(
      await fetchTimes(15, '/atom.xml', { ...headers, 'If-Modified-Since': lastModified }),
    ).toEqual(Array(15).fill(304));
    // A stale tag is still a conditional request: a 200, not limited.
    expect(await fetchTimes(12, '/atom.xml', { ...headers, 'If-None-Match': '"old"' })).toEqual(
      Array(12).fill(200),
    );
  });

  it('limits per reader and per document', async () => {
    const headers = reader('per-document');
    await fetchTimes(10, '/feed.json', headers);
    expect((await fetchSettled('/feed.json', { headers })).response.status).toBe(429);
    expect((await fetchSettled('/topics/ai/feed.json', { headers })).response.status).toBe(200);
    const otherAddress = { ...headers, 'CF-Connecting-IP': '192.0.2.11' };
    expect((await fetchSettled('/feed.json', { headers: otherAddress })).response.status).toBe(200);
    const otherAgent = reader('per-document, another app');
    expect((await fetchSettled('/feed.json', { headers: otherAgent })).response.status).toBe(200);
  });

  it('does not limit HEAD or pages', async () => {
    const headers = reader('others');
    const head = [];
    for (let i = 0; i < 12; i++) {
      head.push(
        (await fetchSettled('/topics/cloud/rss.xml', { method: 'HEAD', headers })).response.status,
      );
    }
    expect(head).toEqual(Array(12).fill(200));
    expect(await fetchTimes(12, '/topics/ai/', headers)).toEqual(Array(12).fill(200));
  });

  it('counts the 429s in the stats', async () => {
    const headers = reader('counted');
    await fetchTimes(12, '/topics/cloud/feed.json', headers);
    const [row] = (
      await rowsOf<{ path: string; requests: number; too_many: number }>('stats_days')
    ).filter((r) => r.path === '/topics/cloud/feed.json');
    expect(row).toMatchObject({ requests: 12, too_many: 2 });
  });

  it('serves the request when the Durable Object cannot be reached', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const broken = new Proxy(env.POLITENESS, {
      get(target, property) {
        if (property === 'idFromName') {
          return () => {
            throw new Error('no such namespace');
          };
        }
        return Reflect.get(target, property);
      },
    });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const { response } = await fetchSettled(
        '/rss.xml',
        { headers: reader('unreachable') },
        statsEnv({ POLITENESS: broken }),
      );
      statuses.push(response.status);
    }
    expect(statuses).toEqual(Array(12).fill(200));
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('polite polling unavailable'));
  });

  it('does nothing when POLITE_POLLING is "false"', async () => {
    const bindings = statsEnv({ POLITE_POLLING: 'false' });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push(
        (await fetchSettled('/rss.xml', { headers: reader('off') }, bindings)).response.status,
      );
    }
    expect(statuses).toEqual(Array(12).fill(200));
  });
});

describe('the PolitePolling Durable Object', () => {
  it('allows 10 fetches in a sliding 10-minute window and says when the 11th may come', async () => {
    const stub = objectFor('window');
    for (let i = 0; i < POLLING_LIMIT; i++) {
      expect(await stub.fetched(ADDRESS, AGENT, '/rss.xml', T0 + i * MINUTE)).toEqual({
        allowed: true,
      });
    }
    // The window of the fetch at T0 ends at T0 + 10 min: 60 s after T0 + 9 min.
    expect(await stub.fetched(ADDRESS, AGENT, '/rss.xml', T0 + 9 * MINUTE)).toEqual({
      allowed: false,
      retryAfterSeconds: 60,
    });
    expect(await stub.fetched(ADDRESS, AGENT, '/rss.xml', T0 + 9 * MINUTE + 59_500)).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    // Refused fetches were not recorded: waiting as told is enough.
    expect(await stub.fetched(ADDRESS, AGENT, '/rss.xml', T0 + 10 * MINUTE)).toEqual({
      allowed: true,
    });
    expect(await stub.fetched(ADDRESS, AGENT, '/rss.xml', T0 + 10 * MINUTE + 1)).toEqual({
      allowed: false,
      retryAfterSeconds: 60,
    });
  });

  it('allows the first fetch of a new reader', async () => {
    expect(await objectFor('new reader').fetched(ADDRESS, AGENT, '/atom.xml', T0)).toEqual({
      allowed: true,
    });
  });

  it('keeps nothing once the window has passed: its alarm deletes the storage', async () => {
    const stub = objectFor('forgetful');
    const now = Date.now();
    await stub.fetched(ADDRESS, AGENT, '/rss.xml', now - POLLING_WINDOW_MS - 1);
    await runInDurableObject(stub, async (_instance, state) => {
      expect(await state.storage.getAlarm()).not.toBeNull();
    });
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await runInDurableObject(stub, async (_instance, state) => {
      expect(state.storage.sql.databaseSize).toBeLessThanOrEqual(8192);
      expect([
        ...state.storage.sql.exec(
          "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'",
        ),
      ]).toEqual([]);
      expect(await state.storage.getAlarm()).toBeNull();
    });
    // And it starts afresh for the reader's next fetches.
    const later = Date.now();
    for (let i = 0; i < POLLING_LIMIT; i++) {
      expect(await stub.fetched(ADDRESS, AGENT, '/rss.xml', later + i)).toEqual({ allowed: true });
    }
    expect(await stub.fetched(ADDRESS, AGENT, '/rss.xml', later + POLLING_LIMIT)).toMatchObject({
      allowed: false,
    });
  });

  it('keeps recent fetches when its alarm runs, and wakes again when they age out', async () => {
    const stub = objectFor('recent');
    await stub.fetched(ADDRESS, AGENT, '/rss.xml', Date.now());
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await runInDurableObject(stub, async (_instance, state) => {
      expect(state.storage.sql.exec('SELECT COUNT(*) AS n FROM fetches').one().n).toBe(1);
      expect(await state.storage.getAlarm()).not.toBeNull();
    });
  });

  it('tells readers in one object apart, and keeps them as salted hashes, not addresses', async () => {
    const stub = objectFor('shared');
    for (let i = 0; i < POLLING_LIMIT; i++) await stub.fetched(ADDRESS, AGENT, '/rss.xml', T0 + i);
    expect(await stub.fetched(ADDRESS, AGENT, '/rss.xml', T0 + 20)).toMatchObject({
      allowed: false,
    });
    expect(await stub.fetched('192.0.2.99', AGENT, '/rss.xml', T0 + 21)).toEqual({ allowed: true });
    expect(await stub.fetched(ADDRESS, 'Another/1.0', '/rss.xml', T0 + 22)).toEqual({
      allowed: true,
    });
    await runInDurableObject(stub, (_instance, state) => {
      const rows = state.storage.sql.exec('SELECT reader, path, at FROM fetches').toArray();
      expect(rows).toHaveLength(POLLING_LIMIT + 2);
      expect(JSON.stringify(rows)).not.toContain(ADDRESS);
      expect(JSON.stringify(rows)).not.toContain(AGENT);
      for (const row of rows) expect(row.reader).toMatch(/^[0-9a-f]{32}$/);
    });
  });

  it('replaces its salt after a day', async () => {
    const stub = objectFor('salted');
    const saltOf = () =>
      runInDurableObject(
        stub,
        (_instance, state) => state.storage.sql.exec('SELECT value FROM salt').one().value,
      );
    await stub.fetched(ADDRESS, AGENT, '/rss.xml', T0);
    const first = await saltOf();
    await stub.fetched(ADDRESS, AGENT, '/rss.xml', T0 + 3_600_000);
    expect(await saltOf()).toBe(first);
    await stub.fetched(ADDRESS, AGENT, '/rss.xml', T0 + 86_400_001);
    expect(await saltOf()).not.toBe(first);
  });
});
