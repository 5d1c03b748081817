import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { Hono } from 'hono';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { app } from '../../src/worker/app.ts';
import type { WorkerEnv } from '../../src/worker/bindings.ts';
import { countRequests } from '../../src/worker/stats/count-requests.ts';
import type { DayRow } from '../../src/worker/stats/read-feed-stats.ts';
import { StatsBuffer } from '../../src/worker/stats/stats-buffer.ts';
import { addDays, utcDay } from '../../src/worker/stats/utc-day.ts';
import { fetchSettled, loadStatsSite, ORIGIN, rowsOf, statsEnv } from './support/stats-site.ts';

const FEEDLY =
  'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 134 subscribers; like FeedFetcher-Google)';
const MINIFLUX = 'Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)';
const ADDRESS = '203.0.113.77';

type ReaderRow = {
  path: string;
  day: string;
  reader: string;
  feed: string;
  kind: string;
  client: string | null;
  subscribers: number | null;
};

beforeAll(loadStatsSite);

beforeEach(async () => {
  // Salts stay: an isolate creates a day's salt once and keeps it.
  await env.DB.batch(
    ['stats_days', 'stats_readers'].map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
  );
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('counting requests of subscription documents', () => {
  it('counts a 200 with its body bytes, per document and UTC day', async () => {
    const { body } = await fetchSettled('/rss.xml', { headers: { 'User-Agent': MINIFLUX } });
    const rows = await rowsOf<DayRow>('stats_days');
    expect(rows).toEqual([
      {
        path: '/rss.xml',
        day: utcDay(Date.now()),
        requests: 1,
        not_modified: 0,
        too_many: 0,
        bytes: new TextEncoder().encode(body).byteLength,
      },
    ]);
    expect(body.length).toBeGreaterThan(0);
  });

  it('counts the bytes of 200s answered from the isolate’s memory too', async () => {
    const bindings = statsEnv({ MEMORY_CACHE_SECONDS: '10' });
    const sizes = [];
    for (let i = 0; i < 3; i++) {
      const { body } = await fetchSettled('/providers/example.com/atom.xml', {}, bindings);
      sizes.push(new TextEncoder().encode(body).byteLength);
    }
    const [row] = await rowsOf<DayRow>('stats_days');
    expect(row?.requests).toBe(3);
    expect(row?.bytes).toBe((sizes[0] ?? 0) * 3);
    expect(sizes[0]).toBeGreaterThan(0);
  });

  it('counts a 304 as a request and a 304, with no bytes', async () => {
    const first = await fetchSettled('/atom.xml');
    const etag = first.response.headers.get('ETag') ?? '';
    await env.DB.prepare('DELETE FROM stats_days').run();
    await fetchSettled('/atom.xml', { headers: { 'If-None-Match': etag } });
    const [row] = await rowsOf<DayRow>('stats_days');
    expect(row).toMatchObject({ path: '/atom.xml', requests: 1, not_modified: 1, bytes: 0 });
  });

  it('adds up requests of the same document and day in one row', async () => {
    for (let i = 0; i < 3; i++) await fetchSettled('/topics/ai/feed.json');
    const rows = await rowsOf<DayRow>('stats_days');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.requests).toBe(3);
  });

  it('counts HEAD as a request without bytes', async () => {
    await fetchSettled('/feed.json', { method: 'HEAD' });
    expect(await rowsOf<DayRow>('stats_days')).toMatchObject([
      { path: '/feed.json', requests: 1, bytes: 0 },
    ]);
  });

  it.each([
    ['an HTML page', '/topics/ai/'],
    ['the OPML list', '/opml.xml'],
    ['an unknown topic (404)', '/topics/nothing-here/rss.xml'],
    ['an alias (301)', '/feed'],
  ])('does not count %s', async (_what, path) => {
    await fetchSettled(path);
    expect(await rowsOf('stats_days')).toEqual([]);
    expect(await rowsOf('stats_readers')).toEqual([]);
  });

  it('counts a percent-encoded spelling under the canonical path', async () => {
    await fetchSettled('/topics/%61i/rss%2Exml');
    expect(await rowsOf<DayRow>('stats_days')).toMatchObject([{ path: '/topics/ai/rss.xml' }]);
  });

  it('counts nothing when STATS_ENABLED is "false"', async () => {
    await fetchSettled('/rss.xml', {}, statsEnv({ STATS_ENABLED: 'false' }));
    expect(await rowsOf('stats_days')).toEqual([]);
  });
});

describe('reader identities', () => {
  it('keeps an aggregator as its User-Agent less its count, with the largest count of the day', async () => {
    await fetchSettled('/rss.xml', {
      headers: { 'User-Agent': FEEDLY, 'CF-Connecting-IP': ADDRESS },
    });
    await fetchSettled('/rss.xml', {
      headers: { 'User-Agent': FEEDLY.replace('134', '136'), 'CF-Connecting-IP': '198.51.100.3' },
    });
    await fetchSettled('/rss.xml', { headers: { 'User-Agent': FEEDLY.replace('134', '135') } });
    expect(await rowsOf<ReaderRow>('stats_readers')).toMatchObject([
      {
        path: '/rss.xml',
        feed: '/',
        reader:
          'a:Feedly/1.0 (+http://www.feedly.com/fetcher.html;  subscribers; like FeedFetcher-Google)',
        kind: 'aggregator',
        client: 'Feedly',
        subscribers: 136,
      },
    ]);
  });

  it('keeps any other reader as a salted hash of address and User-Agent: no address is stored', async () => {
    await fetchSettled('/topics/cloud/atom.xml', {
      headers: { 'User-Agent': MINIFLUX, 'CF-Connecting-IP': ADDRESS },
    });
    const [reader] = await rowsOf<ReaderRow>('stats_readers');
    expect(reader).toMatchObject({
      kind: 'reader',
      client: 'Miniflux',
      subscribers: null,
      feed: '/topics/cloud/',
    });
    expect(reader?.reader).toMatch(/^[0-9a-f]{32}$/);
    for (const table of ['stats_days', 'stats_readers', 'stats_salts']) {
      expect(JSON.stringify(await rowsOf(table)), table).not.toContain(ADDRESS);
    }
  });

  it('tells two readers apart by address, and by User-Agent', async () => {
    await fetchSettled('/rss.xml', {
      headers: { 'User-Agent': MINIFLUX, 'CF-Connecting-IP': ADDRESS },
    });
    await fetchSettled('/rss.xml', {
      headers: { 'User-Agent': MINIFLUX, 'CF-Connecting-IP': '198.51.100.3' },
    });
    await fetchSettled('/rss.xml', {
      headers: {
        'User-Agent': 'FreshRSS/1.24.3 (Linux; https://freshrss.org)',
        'CF-Connecting-IP': ADDRESS,
      },
    });
    await fetchSettled('/rss.xml', {
      headers: { 'User-Agent': MINIFLUX, 'CF-Connecting-IP': ADDRESS },
    });
    expect(await rowsOf('stats_readers')).toHaveLength(3);
  });

  it('uses one random salt per day, kept in D1', async () => {
    await fetchSettled('/rss.xml', { headers: { 'User-Agent': MINIFLUX } });
    const salts = await rowsOf<{ day: string; salt: string }>('stats_salts');
    expect(salts).toEqual([
      { day: utcDay(Date.now()), salt: expect.stringMatching(/^[0-9a-f]{32}$/) },
    ]);
  });

  it('keeps unknown User-Agents as unknown, and crawlers not at all', async () => {
    await fetchSettled('/rss.xml', { headers: { 'User-Agent': 'curl/8.11.0' } });
    await fetchSettled('/rss.xml', {
      headers: {
        'User-Agent': 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
      },
    });
    expect(await rowsOf<ReaderRow>('stats_readers')).toMatchObject([
      { kind: 'unknown', client: null },
    ]);
    expect(await rowsOf<DayRow>('stats_days')).toMatchObject([{ requests: 2 }]);
  });
});

describe('what counting changes in a response', () => {
  it.each([
    ['a 200', '/rss.xml', {}],
    ['a 304', '/rss.xml', { 'If-Modified-Since': 'Fri, 01 Jan 2100 00:00:00 GMT' }],
    ['a HEAD', '/topics/ai/atom.xml', {}, 'HEAD'],
  ])(
    'changes nothing in %s: status, headers and body are those of counting off',
    async (_what, path, headers, method = 'GET') => {
      // Warmed first, so both answers come from the edge cache alike.
      await fetchSettled(path, {}, statsEnv({ STATS_ENABLED: 'false' }));
      const off = await fetchSettled(
        path,
        { method, headers },
        statsEnv({ STATS_ENABLED: 'false' }),
      );
      const on = await fetchSettled(path, { method, headers });
      expect(on.response.status).toBe(off.response.status);
      // Age and Date come from the edge cache's clock, not from the worker.
      const headersOf = (r: Response) =>
        [...r.headers].filter(([n]) => n !== 'age' && n !== 'date');
      expect(headersOf(on.response)).toEqual(headersOf(off.response));
      expect(on.body).toBe(off.body);
      expect(await rowsOf('stats_days')).toHaveLength(1);
    },
  );
});

describe('writing in batches', () => {
  it('leaves the response untouched when D1 fails, and logs the dropped batch', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const healthy = await fetchSettled('/rss.xml', { headers: { 'User-Agent': MINIFLUX } });
    const failing = new Proxy(env.DB, {
      get(target, property) {
        if (property === 'batch') return () => Promise.reject(new Error('D1 is down'));
        return Reflect.get(target, property);
      },
    });
    const broken = await fetchSettled(
      '/rss.xml',
      { headers: { 'User-Agent': MINIFLUX } },
      statsEnv({ DB: failing }),
    );
    expect(broken.response.status).toBe(healthy.response.status);
    expect(broken.body).toBe(healthy.body);
    for (const name of ['Content-Type', 'ETag', 'Last-Modified', 'Cache-Control']) {
      expect(broken.response.headers.get(name), name).toBe(healthy.response.headers.get(name));
    }
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/stats batch of \d+ entries dropped: Error: D1 is down/),
    );
  });

  it('answers before the write finishes: nothing is awaited on the request path', async () => {
    const never = new Proxy(env.DB, {
      get(target, property) {
        if (property === 'batch') return () => new Promise(() => {});
        return Reflect.get(target, property);
      },
    });
    const ctx = createExecutionContext();
    const request = new Request(`${ORIGIN}/rss.xml`);
    const response = await app.fetch(request, statsEnv({ DB: never }), ctx);
    expect(response.status).toBe(200);
    expect((await response.text()).length).toBeGreaterThan(0);
  });

  it('gathers counts in the isolate and writes them once their time is up, in one batch', async () => {
    const { app, batches } = countingApp();
    const contexts = [];
    for (let i = 0; i < 3; i++) {
      const ctx = createExecutionContext();
      const request = new Request(`${ORIGIN}/rss.xml`, { headers: { 'User-Agent': FEEDLY } });
      const response = await app.fetch(request, batches.env('1'), ctx);
      expect(response.status).toBe(200);
      contexts.push(ctx);
    }
    expect(await rowsOf('stats_days')).toEqual([]);
    await Promise.all(contexts.map((ctx) => waitOnExecutionContext(ctx)));
    expect(await rowsOf<DayRow>('stats_days')).toMatchObject([
      { path: '/rss.xml', requests: 3, bytes: 18 },
    ]);
    expect(batches.count).toBe(1);
  });

  it('writes as soon as a batch holds 200 entries, without waiting for its time', async () => {
    const { app, batches } = countingApp();
    let last = createExecutionContext();
    for (let i = 0; i < 199; i++) {
      last = createExecutionContext();
      const ua = `Feedbin feed-id:${1000 + i} - 2 subscribers`;
      const request = new Request(`${ORIGIN}/rss.xml`, { headers: { 'User-Agent': ua } });
      await app.fetch(request, batches.env('3600'), last);
    }
    // 1 count and 199 readers: the 199th request made it 200 and wrote it.
    await waitOnExecutionContext(last);
    expect(batches.count).toBe(1);
    expect(await rowsOf<DayRow>('stats_days')).toMatchObject([{ requests: 199 }]);
    expect(await rowsOf('stats_readers')).toHaveLength(199);
  });
});

describe('the batch in the isolate', () => {
  it('keeps a document fetched on both sides of midnight as two days, losing nothing', () => {
    const buffer = new StatsBuffer();
    const hit = {
      path: '/rss.xml',
      status: 200 as const,
      bytes: 10,
      address: ADDRESS,
      userAgent: MINIFLUX,
    };
    buffer.add({ ...hit, at: Date.parse('2026-03-09T23:59:59Z') });
    buffer.add({ ...hit, at: Date.parse('2026-03-10T00:00:01Z') });
    buffer.add({ ...hit, at: Date.parse('2026-03-10T00:00:02Z'), status: 304, bytes: 0 });
    expect(buffer.entries).toBe(4);
    const batch = buffer.take();
    expect(batch?.counts).toEqual([
      {
        path: '/rss.xml',
        day: '2026-03-09',
        requests: 1,
        notModified: 0,
        tooManyRequests: 0,
        bytes: 10,
      },
      {
        path: '/rss.xml',
        day: '2026-03-10',
        requests: 2,
        notModified: 1,
        tooManyRequests: 0,
        bytes: 10,
      },
    ]);
    expect(batch?.sightings.map((s) => [s.day, s.firstSeen, s.lastSeen])).toEqual([
      ['2026-03-09', Date.parse('2026-03-09T23:59:59Z'), Date.parse('2026-03-09T23:59:59Z')],
      ['2026-03-10', Date.parse('2026-03-10T00:00:01Z'), Date.parse('2026-03-10T00:00:02Z')],
    ]);
    expect(buffer.take()).toBeUndefined();
    expect(buffer.entries).toBe(0);
  });
});

describe('retention', () => {
  it('deletes rows older than 90 days and salts older than yesterday when it writes', async () => {
    const today = utcDay(Date.now());
    const insert = (day: string) =>
      env.DB.batch([
        env.DB.prepare(
          "INSERT INTO stats_days (path, day, requests) VALUES ('/atom.xml', ?1, 5)",
        ).bind(day),
        env.DB.prepare(
          "INSERT INTO stats_readers (path, day, reader, feed, kind, first_seen, last_seen) VALUES ('/atom.xml', ?1, 'r', '/', 'reader', 0, 0)",
        ).bind(day),
        env.DB.prepare("INSERT INTO stats_salts (day, salt) VALUES (?1, 'x')").bind(day),
      ]);
    for (const offset of [-90, -89, -2, -1]) await insert(addDays(today, offset));
    const { app, batches } = countingApp();
    const ctx = createExecutionContext();
    await app.fetch(new Request(`${ORIGIN}/rss.xml`), batches.env('0'), ctx);
    await waitOnExecutionContext(ctx);
    const days = (await rowsOf<{ path: string; day: string }>('stats_days'))
      .filter((r) => r.path === '/atom.xml')
      .map((r) => r.day);
    expect(days.sort()).toEqual([-89, -2, -1].map((offset) => addDays(today, offset)));
    const readerDays = (await rowsOf<{ day: string }>('stats_readers')).map((r) => r.day);
    expect(readerDays).not.toContain(addDays(today, -90));
    expect(readerDays).toContain(addDays(today, -89));
    const saltDays = (await rowsOf<{ day: string }>('stats_salts')).map((r) => r.day).sort();
    expect(saltDays).toEqual([addDays(today, -1), today]);
  });
});

/**
 * The counting middleware alone, in front of a handler that answers "feed!" (6 bytes of
 * known length), with its own buffer, and a DB that counts the batches it is given.
 * (Aggregators need no salt, so with them every batch is a stats write.)
 */
function countingApp() {
  const app = new Hono<WorkerEnv>();
  app.use('*', countRequests({ buffer: new StatsBuffer() }));
  app.get('*', (c) => c.body('feed!\n', 200, { 'Content-Length': '6' }));
  const batches = {
    count: 0,
    env(flushSeconds: string) {
      const db = new Proxy(env.DB, {
        get(target, property) {
          const member = Reflect.get(target, property);
          if (property !== 'batch' || typeof member !== 'function') return member;
          return (statements: D1PreparedStatement[]) => {
            batches.count += 1;
            return Reflect.apply(member, target, [statements]);
          };
        },
      });
      return statsEnv({ DB: db, STATS_FLUSH_SECONDS: flushSeconds });
    },
  };
  return { app, batches };
}
