import { env, SELF } from 'cloudflare:test';
import { DomUtils, parseDocument } from 'htmlparser2';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { isSubscriptionPath } from '../../src/core/document-paths.ts';
import { POINTER_KEY } from '../../src/core/store-keys.ts';
import { StatsReportSchema } from '../../src/worker/stats/feed-stats.ts';
import { forgetPointer } from '../../src/worker/store/read-pointer.ts';
import { fetchSettled, loadStatsSite, STATS_TOKEN, statsEnv } from './support/stats-site.ts';

const FEEDLY =
  'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 134 subscribers; like FeedFetcher-Google)';
const AUTHORIZED = { headers: { Authorization: `Bearer ${STATS_TOKEN}` } };

/** Every subscription document of the fixture build, by its manifest. */
function servedFeeds(): string[] {
  const build = inject('fixtureBuild');
  const paths = build.values
    .filter(([key]) => key.startsWith('m:'))
    .flatMap(([, shard]) => Object.keys((JSON.parse(shard) as { documents: object }).documents));
  return paths.filter(isSubscriptionPath).sort();
}

beforeAll(loadStatsSite);

describe('who may see the stats', () => {
  it.each([
    ['no Authorization header', {}],
    ['another token', { Authorization: 'Bearer not-the-token' }],
    ['the token under another scheme', { Authorization: `Basic ${STATS_TOKEN}` }],
    ['the token alone', { Authorization: STATS_TOKEN }],
    ['an empty bearer', { Authorization: 'Bearer ' }],
    ['the token with more after it', { Authorization: `Bearer ${STATS_TOKEN}x` }],
  ])('answers 401 with a Bearer challenge and nothing else to %s', async (_what, headers) => {
    for (const path of ['/stats', '/stats.json']) {
      const { response, body } = await fetchSettled(path, { headers });
      expect(response.status, path).toBe(401);
      expect(response.headers.get('WWW-Authenticate'), path).toMatch(
        /^Bearer realm="edgefeed stats"/,
      );
      expect(body, path).toBe('');
      expect(response.headers.get('Content-Type'), path).toBeNull();
    }
  });

  it('answers 401 to every request while no STATS_TOKEN is set, even to a bearer', async () => {
    for (const token of [undefined, '']) {
      const bindings = statsEnv({ STATS_TOKEN: token });
      const { response, body } = await fetchSettled(
        '/stats.json',
        { headers: { Authorization: 'Bearer ' } },
        bindings,
      );
      expect(response.status).toBe(401);
      expect(body).toBe('');
      const withToken = await fetchSettled('/stats.json', AUTHORIZED, bindings);
      expect(withToken.response.status).toBe(401);
    }
  });

  it('accepts the bearer scheme in any case (RFC 9110 §11.1)', async () => {
    const { response } = await fetchSettled('/stats.json', {
      headers: { Authorization: `bearer ${STATS_TOKEN}` },
    });
    expect(response.status).toBe(200);
  });

  it('needs the token from the STATS_TOKEN binding through the deployed worker too', async () => {
    const response = await SELF.fetch('https://feeds.test/stats.json');
    expect(response.status).toBe(401);
    await response.arrayBuffer();
  });
});

describe('GET /stats.json', () => {
  it('lists every subscription document of the served build, in the contract’s shape', async () => {
    const { response, body } = await fetchSettled('/stats.json', AUTHORIZED);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    const report = StatsReportSchema.parse(JSON.parse(body));
    expect(report.feeds.map((feed) => feed.path).sort()).toEqual(servedFeeds());
    expect(servedFeeds()).toContain('/topics/ai/rss.xml');
    for (const feed of report.feeds) expect(feed.days, feed.path).toHaveLength(30);
  });

  it('shows requests and readers as they are counted, most readers first', async () => {
    await fetchSettled('/topics/cloud/atom.xml', { headers: { 'User-Agent': FEEDLY } });
    await fetchSettled('/topics/cloud/atom.xml', {
      headers: { 'User-Agent': FEEDLY.replace('134', '136') },
    });
    const { body } = await fetchSettled('/stats.json', AUTHORIZED);
    const [top] = StatsReportSchema.parse(JSON.parse(body)).feeds;
    expect(top).toMatchObject({
      path: '/topics/cloud/atom.xml',
      readers: 136,
      requests: 2,
      notModified: 0,
    });
    expect(top?.days.at(-1)).toMatchObject({
      date: new Date().toISOString().slice(0, 10),
      requests: 2,
      readers: 136,
    });
    expect(top?.bytes).toBeGreaterThan(0);
  });

  it('gives each document its feed’s ActivityPub followers', async () => {
    await env.DB.prepare(
      `INSERT INTO followers (actor, follower, inbox, follow_id, followed_at)
       VALUES ('/topics/cloud/actor', 'https://a.example/u/1', 'https://a.example/inbox', 'f', 0)`,
    ).run();
    try {
      const { body } = await fetchSettled('/stats.json', AUTHORIZED);
      const feeds = StatsReportSchema.parse(JSON.parse(body)).feeds;
      const followed = feeds.filter((feed) => feed.followers > 0).map((feed) => feed.path);
      expect(followed.sort()).toEqual([
        '/topics/cloud/atom.xml',
        '/topics/cloud/feed.json',
        '/topics/cloud/rss.xml',
      ]);
      expect(feeds.find((feed) => feed.path === '/topics/cloud/rss.xml')?.followers).toBe(1);
    } finally {
      await env.DB.prepare('DELETE FROM followers').run();
    }
  });

  it('answers 503 and says why when no build is served', async () => {
    const pointer = await env.FEEDS.get(POINTER_KEY);
    await env.FEEDS.delete(POINTER_KEY);
    forgetPointer();
    try {
      const { response, body } = await fetchSettled('/stats.json', AUTHORIZED);
      expect(response.status).toBe(503);
      expect(JSON.parse(body)).toMatchObject({ error: 'bundle-not-loaded' });
    } finally {
      await env.FEEDS.put(POINTER_KEY, pointer ?? '');
      forgetPointer();
    }
  });

  it('answers 503 and says what to do when the stats tables are missing', async () => {
    const empty = new Proxy(env.DB, {
      get(target, property) {
        if (property === 'batch')
          return () =>
            Promise.reject(new Error('D1_ERROR: no such table: stats_days: SQLITE_ERROR'));
        return Reflect.get(target, property);
      },
    });
    const quiet = console.error;
    console.error = () => {};
    try {
      const { response, body } = await fetchSettled(
        '/stats.json',
        AUTHORIZED,
        statsEnv({ DB: empty }),
      );
      expect(response.status).toBe(503);
      expect(JSON.parse(body)).toMatchObject({ error: 'stats-not-set-up' });
      expect(body).toContain('wrangler d1 migrations apply');
    } finally {
      console.error = quiet;
    }
  });
});

describe('GET /stats', () => {
  it('is an HTML page under the pages’ CSP, never cached, with no script', async () => {
    const { response, body } = await fetchSettled('/stats', AUTHORIZED);
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('Cache-Control')).toBe('no-store');
    expect(response.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(body).toContain('<link rel="stylesheet" href="/style.css">');
    expect(body).not.toMatch(/<script/i);
  });

  it('shows each document with its readers and a 30-day sparkline, most readers first', async () => {
    await fetchSettled('/providers/example.com/rss.xml', {
      headers: {
        'User-Agent': 'Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 9000 subscribers; )',
      },
    });
    const { body } = await fetchSettled('/stats', AUTHORIZED);
    const [groupTable, documentTable] = DomUtils.getElementsByTagName('tbody', parseDocument(body));
    const rowsOf = (table: typeof groupTable) =>
      DomUtils.getElementsByTagName('tr', table ?? []).map((row) => ({
        name: DomUtils.textContent(DomUtils.getElementsByTagName('th', row)),
        readers: DomUtils.textContent(DomUtils.getElementsByTagName('strong', row)),
        points: DomUtils.getElementsByTagName('polyline', row)[0]?.attribs.points?.split(' '),
      }));
    const rows = rowsOf(documentTable);
    expect(rows.map((row) => row.name).sort()).toEqual(servedFeeds());
    expect(rows[0]).toMatchObject({ name: '/providers/example.com/rss.xml', readers: '9,000' });
    for (const row of rows) expect(row.points, row.name).toHaveLength(30);
    expect(rowsOf(groupTable)[0]).toMatchObject({
      name: '/providers/example.com/',
      readers: '9,000',
    });
  });
});
