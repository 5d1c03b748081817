// Reader statistics end to end: a real `wrangler dev` serving the fixture build, feed
// readers fetching /rss.xml as they do in the wild, and /stats.json reporting the estimate
// once the worker has written its batch to D1. Then /stats in chromium: accessibility and
// the screenshot docs/stats.md shows (written when EDGEFEED_SCREENSHOTS=1: it shows the
// time and today's date, so a file written on every run would never stay committed).
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatsReport, StatsReportSchema } from '../../src/worker/stats/feed-stats.ts';
import { chromiumMissing, launchChromium } from './support/launch-chromium.ts';
import { type StatsSite, serveStatsSite } from './support/serve-stats-site.ts';

const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshots/stats.png', import.meta.url));
const FEEDLY = (n: number) =>
  `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${n} subscribers; like FeedFetcher-Google)`;
const INOREADER = 'Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 3 subscribers; )';
const NEWSBLUR =
  'NewsBlur Feed Fetcher - 7 subscribers - https://www.newsblur.com/site/6348612/edgefeed (Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15)';
const MINIFLUX = 'Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)';
const FRESHRSS = 'FreshRSS/1.24.3 (Linux; https://freshrss.org)';
const AXE_RUN = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }).then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`;

describe('reader statistics under wrangler dev', () => {
  let site: StatsSite | undefined;
  const running = (): StatsSite => {
    if (site === undefined) throw new Error('wrangler dev did not start');
    return site;
  };

  beforeAll(async () => {
    site = await serveStatsSite(seedHistory);
  }, 120_000);

  afterAll(async () => {
    await site?.stop();
  });

  async function fetchFeed(path: string, userAgent: string): Promise<number> {
    const response = await fetch(`${running().origin}${path}`, {
      headers: { 'User-Agent': userAgent },
    });
    await response.arrayBuffer();
    return response.status;
  }

  async function statsJson(): Promise<StatsReport> {
    const response = await fetch(`${running().origin}/stats.json`, {
      headers: { Authorization: `Bearer ${running().token}` },
    });
    expect(response.status).toBe(200);
    return StatsReportSchema.parse(await response.json());
  }

  it('counts Feedly (134, then 136), Inoreader 3, NewsBlur 7, Miniflux and FreshRSS twice each: 148 readers of /rss.xml within 60 s', async () => {
    const statuses = [];
    for (const ua of [
      FEEDLY(134),
      FEEDLY(136),
      INOREADER,
      NEWSBLUR,
      MINIFLUX,
      MINIFLUX,
      FRESHRSS,
      FRESHRSS,
    ]) {
      statuses.push(await fetchFeed('/rss.xml', ua));
    }
    expect(statuses).toEqual(Array(8).fill(200));
    const deadline = Date.now() + 60_000;
    let report = await statsJson();
    const readersOf = (path: string) => report.feeds.find((feed) => feed.path === path)?.readers;
    while (readersOf('/rss.xml') !== 148 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      report = await statsJson();
    }
    expect(readersOf('/rss.xml')).toBe(148);
    expect(report.feeds.find((feed) => feed.path === '/rss.xml')?.days.at(-1)).toMatchObject({
      requests: 8,
      notModified: 0,
      readers: 148,
    });
    // Another feed nobody fetched; every subscription document is listed.
    expect(readersOf('/feed.json')).toBe(0);
    expect(report.feeds.map((feed) => feed.path).sort()).toEqual(running().feeds);
  }, 90_000);

  it('keeps /stats and /stats.json from anyone without the token', async () => {
    for (const path of ['/stats', '/stats.json']) {
      const response = await fetch(`${running().origin}${path}`);
      expect(response.status, path).toBe(401);
      expect(response.headers.get('WWW-Authenticate'), path).toMatch(/^Bearer /);
      expect(await response.text(), path).toBe('');
    }
  });

  const missing = chromiumMissing();
  if (missing && !process.env.CI) console.warn(`SKIPPED /stats in chromium: ${missing}`);
  it.skipIf(missing !== undefined && !process.env.CI)(
    'shows /stats in chromium, a sparkline per document, accessible in light and dark',
    async () => {
      if (missing) throw new Error(`/stats cannot be checked in chromium in CI: ${missing}`);
      const browser = await launchChromium();
      try {
        await browser.context.setExtraHTTPHeaders({ Authorization: `Bearer ${running().token}` });
        const axeSource = await readFile(
          createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
          'utf8',
        );
        for (const scheme of ['light', 'dark'] as const) {
          const page = await browser.context.newPage();
          await page.emulateMedia({ colorScheme: scheme });
          const response = await page.goto(`${running().origin}/stats`, {
            waitUntil: 'networkidle',
          });
          expect(response?.status()).toBe(200);
          expect(await page.locator('svg.spark').count()).toBe(running().feeds.length);
          await page.evaluate(axeSource);
          expect(await page.evaluate(AXE_RUN), scheme).toEqual([]);
          if (scheme === 'light' && process.env.EDGEFEED_SCREENSHOTS === '1') {
            await mkdir(dirname(SCREENSHOT), { recursive: true });
            await page.screenshot({ path: SCREENSHOT, fullPage: true });
          }
          await page.close();
        }
      } finally {
        await browser.close();
      }
    },
    90_000,
  );
});

type D1 = Parameters<NonNullable<Parameters<typeof serveStatsSite>[0]>>[0];

/**
 * 30 days of made-up history, today's morning included, for three feeds other than
 * /rss.xml and /feed.json (whose numbers the first test checks), so the screenshot shows
 * sparklines; rows as the worker writes them.
 */
async function seedHistory(db: D1): Promise<void> {
  const today = Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  const feeds = [
    { path: '/atom.xml', feed: '/', feedly: 38, inoreader: 6, readers: 4, requests: 220 },
    {
      path: '/topics/ai/rss.xml',
      feed: '/topics/ai/',
      feedly: 12,
      inoreader: 0,
      readers: 2,
      requests: 80,
    },
    {
      path: '/providers/example.com/feed.json',
      feed: '/providers/example.com/',
      feedly: 0,
      inoreader: 3,
      readers: 1,
      requests: 30,
    },
  ];
  const statements: unknown[] = [];
  for (let ago = 29; ago >= 0; ago--) {
    const start = today - ago * 86_400_000;
    const day = new Date(start).toISOString().slice(0, 10);
    const growth = (29 - ago) / 29;
    for (const f of feeds) {
      const share = ago === 0 ? Math.min(1, (Date.now() - start) / 86_400_000) : 1;
      const requests = Math.round(share * f.requests * (0.85 + 0.3 * Math.abs(Math.sin(ago))));
      const notModified = Math.round(requests * 0.7);
      statements.push(
        db
          .prepare(
            'INSERT INTO stats_days (path, day, requests, not_modified, too_many, bytes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)',
          )
          .bind(
            f.path,
            day,
            requests,
            notModified,
            ago % 9 === 0 ? 2 : 0,
            (requests - notModified) * 2400,
          ),
      );
      const rows: [string, string, string | null, number | null][] = [];
      if (f.feedly > 0)
        rows.push([
          `a:${FEEDLY(0).replace('0 ', ' ')}`,
          'aggregator',
          'Feedly',
          Math.round(f.feedly * (0.8 + 0.3 * growth)),
        ]);
      if (f.inoreader > 0)
        rows.push([`a:${INOREADER.replace('3 ', ' ')}`, 'aggregator', 'Inoreader', f.inoreader]);
      for (let i = 0; i < f.readers + (ago % 4 === 0 ? 1 : 0); i++)
        rows.push([`seed-${f.path}-${day}-${i}`, 'reader', 'Miniflux', null]);
      const seen = Math.min(start + 20 * 3_600_000, Date.now() - 60_000);
      for (const [reader, kind, client, subscribers] of rows) {
        statements.push(
          db
            .prepare(
              'INSERT INTO stats_readers (path, day, reader, feed, kind, client, subscribers, first_seen, last_seen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)',
            )
            .bind(
              f.path,
              day,
              reader,
              f.feed,
              kind,
              client,
              subscribers,
              Math.min(start + 3_600_000, seen),
              seen,
            ),
        );
      }
    }
  }
  await db.batch(statements);
}
