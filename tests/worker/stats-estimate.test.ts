import { env } from 'cloudflare:test';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFeedStats } from '../../src/worker/stats/read-feed-stats.ts';
import type { ServedFeeds } from '../../src/worker/stats/served-feeds.ts';
import { loadStatsSite } from './support/stats-site.ts';

// A fixed "now": 2026-03-10 12:00 UTC. Rows are placed relative to it.
const NOW = Date.parse('2026-03-10T12:00:00Z');
const HOUR = 3_600_000;
const SITE = 'https://feeds.test';
const SERVED: ServedFeeds = {
  siteUrl: SITE,
  paths: ['/atom.xml', '/feed.json', '/rss.xml', '/topics/ai/atom.xml', '/topics/ai/rss.xml'],
};

type Reader = {
  path: string;
  reader: string;
  kind: 'aggregator' | 'reader' | 'unknown';
  subscribers?: number;
  /** Hours before NOW of the first and last fetch (that day). */
  first: number;
  last?: number;
};

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

async function seen(...readers: Reader[]): Promise<void> {
  await env.DB.batch(
    readers.map((r) => {
      const first = NOW - r.first * HOUR;
      const last = NOW - (r.last ?? r.first) * HOUR;
      const folder = r.path.slice(0, r.path.lastIndexOf('/') + 1);
      return env.DB.prepare(
        'INSERT INTO stats_readers (path, day, reader, feed, kind, subscribers, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)',
      ).bind(r.path, dayOf(last), r.reader, folder, r.kind, r.subscribers ?? null, first, last);
    }),
  );
}

/**
 * One verified subscription, as the hub writes it. Columns of the hub's full table
 * (migrations/0001_websub.sql, on its branch) that the contract does not name get
 * placeholder values, so this works against both that table and the contract's three.
 */
async function subscribed(topic: string, expiresInHours: number): Promise<void> {
  const values: Record<string, unknown> = {
    topic,
    callback: `https://subscriber.example/${crypto.randomUUID()}`,
    expires_at: NOW + expiresInHours * HOUR,
  };
  const { results } = await env.DB.prepare('PRAGMA table_info(subscriptions)').all<{
    name: string;
    type: string;
    notnull: number;
    dflt_value: unknown;
  }>();
  for (const column of results) {
    if (column.name in values || column.notnull === 0 || column.dflt_value !== null) continue;
    values[column.name] = /INT/i.test(column.type) ? 0 : 'subscriber.example';
  }
  const names = Object.keys(values);
  await env.DB.prepare(
    `INSERT INTO subscriptions (${names.join(', ')}) VALUES (${names.map((_, i) => `?${i + 1}`).join(', ')})`,
  )
    .bind(...Object.values(values))
    .run();
}

async function readersOf(path: string): Promise<number | undefined> {
  const view = await readFeedStats(env.DB, SERVED, NOW);
  return view.feeds.find((feed) => feed.path === path)?.readers;
}

beforeAll(loadStatsSite);

beforeEach(async () => {
  // The hub's table (migrations/0001_websub.sql on its branch), as its contract gives it.
  await env.DB.exec(
    'CREATE TABLE IF NOT EXISTS subscriptions (topic TEXT NOT NULL, callback TEXT NOT NULL, expires_at INTEGER NOT NULL)',
  );
  await env.DB.batch(
    ['stats_days', 'stats_readers', 'subscriptions'].map((t) => env.DB.prepare(`DELETE FROM ${t}`)),
  );
});

describe('the estimate of readers', () => {
  it('adds each aggregator’s largest count of the last 3 days, other readers and WebSub: 148', async () => {
    await seen(
      { path: '/rss.xml', reader: 'a:Feedly', kind: 'aggregator', subscribers: 134, first: 50 },
      { path: '/rss.xml', reader: 'a:Feedly', kind: 'aggregator', subscribers: 136, first: 2 },
      { path: '/rss.xml', reader: 'a:Inoreader', kind: 'aggregator', subscribers: 3, first: 5 },
      { path: '/rss.xml', reader: 'a:NewsBlur', kind: 'aggregator', subscribers: 7, first: 1 },
      { path: '/rss.xml', reader: 'miniflux', kind: 'reader', first: 3, last: 1 },
      { path: '/rss.xml', reader: 'freshrss', kind: 'reader', first: 1 },
    );
    expect(await readersOf('/rss.xml')).toBe(136 + 3 + 7 + 2);
  });

  it('forgets an aggregator’s count once it is older than 3 days', async () => {
    await seen(
      { path: '/rss.xml', reader: 'a:Feedly', kind: 'aggregator', subscribers: 500, first: 73 },
      { path: '/rss.xml', reader: 'a:Inoreader', kind: 'aggregator', subscribers: 3, first: 71 },
    );
    expect(await readersOf('/rss.xml')).toBe(3);
  });

  it('counts other readers of the last 24 hours only', async () => {
    await seen(
      { path: '/atom.xml', reader: 'netnewswire', kind: 'reader', first: 23 },
      { path: '/atom.xml', reader: 'newsboat', kind: 'reader', first: 30, last: 25 },
    );
    expect(await readersOf('/atom.xml')).toBe(1);
  });

  it('counts an unknown User-Agent only once it came back an hour after its first fetch', async () => {
    await seen(
      { path: '/feed.json', reader: 'crawler-once', kind: 'unknown', first: 2 },
      { path: '/feed.json', reader: 'burst', kind: 'unknown', first: 2, last: 1.5 },
      { path: '/feed.json', reader: 'script-hourly', kind: 'unknown', first: 3, last: 2 },
    );
    expect(await readersOf('/feed.json')).toBe(1);
  });

  it('counts a reader seen on both sides of midnight once (its hash changes with the day’s salt)', async () => {
    // 12:00 now: one reader at 20:00 yesterday and 08:00 today is two rows, one per day.
    await seen(
      { path: '/rss.xml', reader: 'hash-yesterday', kind: 'reader', first: 16 },
      { path: '/rss.xml', reader: 'hash-today', kind: 'reader', first: 4 },
    );
    expect(await readersOf('/rss.xml')).toBe(1);
  });

  it('adds the verified WebSub subscriptions of the document’s topic URL that have not expired', async () => {
    await subscribed(`${SITE}/topics/ai/atom.xml`, 24);
    await subscribed(`${SITE}/topics/ai/atom.xml`, 1);
    await subscribed(`${SITE}/topics/ai/atom.xml`, -1);
    await subscribed(`${SITE}/topics/ai/rss.xml`, 24);
    await subscribed('https://elsewhere.example/topics/ai/atom.xml', 24);
    expect(await readersOf('/topics/ai/atom.xml')).toBe(2);
  });

  it('counts no WebSub subscriptions while the hub’s table does not exist', async () => {
    await env.DB.exec('DROP TABLE subscriptions');
    await seen({
      path: '/rss.xml',
      reader: 'a:Feedly',
      kind: 'aggregator',
      subscribers: 9,
      first: 1,
    });
    expect(await readersOf('/rss.xml')).toBe(9);
  });

  it('lists every served document, at 0 when nobody reads it', async () => {
    const view = await readFeedStats(env.DB, SERVED, NOW);
    expect(view.feeds.map((feed) => [feed.path, feed.readers])).toEqual(
      [...SERVED.paths].sort().map((path) => [path, 0]),
    );
  });

  it('sorts documents by readers, most first', async () => {
    await seen(
      {
        path: '/topics/ai/rss.xml',
        reader: 'a:Feedly',
        kind: 'aggregator',
        subscribers: 4,
        first: 1,
      },
      { path: '/feed.json', reader: 'a:Feedly', kind: 'aggregator', subscribers: 9, first: 1 },
    );
    const view = await readFeedStats(env.DB, SERVED, NOW);
    expect(view.feeds.slice(0, 2).map((feed) => feed.path)).toEqual([
      '/feed.json',
      '/topics/ai/rss.xml',
    ]);
  });
});

describe('the estimate per feed group (a feed’s three formats)', () => {
  it('adds aggregators and WebSub across formats but counts a reader of two formats once', async () => {
    await seen(
      {
        path: '/topics/ai/rss.xml',
        reader: 'a:Feedly',
        kind: 'aggregator',
        subscribers: 10,
        first: 1,
      },
      {
        path: '/topics/ai/atom.xml',
        reader: 'a:Feedly',
        kind: 'aggregator',
        subscribers: 5,
        first: 1,
      },
      { path: '/topics/ai/rss.xml', reader: 'thunderbird', kind: 'reader', first: 1 },
      { path: '/topics/ai/atom.xml', reader: 'thunderbird', kind: 'reader', first: 1 },
      { path: '/topics/ai/atom.xml', reader: 'liferea', kind: 'reader', first: 1 },
    );
    await subscribed(`${SITE}/topics/ai/rss.xml`, 24);
    const view = await readFeedStats(env.DB, SERVED, NOW);
    const group = view.groups.find((g) => g.folder === '/topics/ai/');
    expect(group?.parts).toEqual({ aggregators: 15, others: 2, websub: 1 });
    expect(group?.readers).toBe(18);
    const byPath = Object.fromEntries(view.feeds.map((feed) => [feed.path, feed.readers]));
    expect([byPath['/topics/ai/rss.xml'], byPath['/topics/ai/atom.xml']]).toEqual([12, 7]);
  });
});

describe('the 30 days of history', () => {
  it('holds the last 30 UTC days, oldest first, today last, with totals over them', async () => {
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO stats_days (path, day, requests, not_modified, too_many, bytes) VALUES ('/rss.xml', '2026-03-10', 10, 6, 1, 4000), ('/rss.xml', '2026-02-09', 3, 1, 0, 900), ('/rss.xml', '2026-02-08', 50, 0, 0, 1)",
      ),
    ]);
    await seen(
      { path: '/rss.xml', reader: 'a:Feedly', kind: 'aggregator', subscribers: 42, first: 1 },
      { path: '/rss.xml', reader: 'reeder', kind: 'reader', first: 2 },
      { path: '/rss.xml', reader: 'once', kind: 'unknown', first: 2 },
    );
    const view = await readFeedStats(env.DB, SERVED, NOW);
    const rss = view.feeds.find((feed) => feed.path === '/rss.xml');
    expect(rss?.days).toHaveLength(30);
    expect(rss?.days[0]).toEqual({
      date: '2026-02-09',
      requests: 3,
      notModified: 1,
      tooManyRequests: 0,
      bytes: 900,
      readers: 0,
    });
    expect(rss?.days[29]).toEqual({
      date: '2026-03-10',
      requests: 10,
      notModified: 6,
      tooManyRequests: 1,
      bytes: 4000,
      readers: 43,
    });
    expect(rss?.days[15]).toEqual({
      date: '2026-02-24',
      requests: 0,
      notModified: 0,
      tooManyRequests: 0,
      bytes: 0,
      readers: 0,
    });
    expect(rss).toMatchObject({ requests: 13, notModified: 7, tooManyRequests: 1, bytes: 4900 });
  });
});
