// Reader statistics end to end: the real `npm start` (scripts/start.ts: build, publish,
// D1 migrations, wrangler dev) serving the fixture site with STATS_TOKEN in its
// environment, feed readers fetching /rss.xml as they do in the wild, and /stats.json
// reporting the estimate once the worker has written its batch to D1 (STATS_FLUSH_SECONDS
// as wrangler.toml sets it). Then /stats in chromium: accessibility and the screenshot
// docs/stats.md shows (written when EDGEFEED_SCREENSHOTS=1: it shows the time and today's
// date, so a file written on every run would never stay committed). Three other feeds are
// given 30 days of made-up history before npm start, so the sparklines have data.
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type StatsReport, StatsReportSchema } from '../../src/worker/stats/feed-stats.ts';
import { chromiumMissing, launchChromium } from './support/launch-chromium.ts';
import { type StatsSite, statsSiteHandle } from './support/serve-stats-site.ts';
import { HISTORY_PATHS, statsHistorySql } from './support/stats-history.ts';

const SCREENSHOT = fileURLToPath(new URL('../../docs/screenshots/stats.png', import.meta.url));
const FEEDLY = (n: number) =>
  `Feedly/1.0 (+http://www.feedly.com/fetcher.html; ${n} subscribers; like FeedFetcher-Google)`;
const INOREADER = 'Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 3 subscribers; )';
const NEWSBLUR =
  'NewsBlur Feed Fetcher - 7 subscribers - https://www.newsblur.com/site/6348612/edgefeed (Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15)';
const MINIFLUX = 'Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)';
const FRESHRSS = 'FreshRSS/1.24.3 (Linux; https://freshrss.org)';
/** The bound: the estimate is there within a minute of the fetches. */
const ESTIMATE_WITHIN_MS = 60_000;
const AXE_RUN = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }).then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`;

describe('reader statistics under npm start', () => {
  const handle = statsSiteHandle();
  const running = (): StatsSite => handle.site();

  beforeAll(async () => {
    await handle.start(statsHistorySql(Date.now()));
  }, 300_000);

  // Stops npm start's whole process group, and fails if any of it still runs.
  afterAll(() => handle.stop(), 30_000);

  async function fetchFeed(path: string, userAgent: string): Promise<Response> {
    const response = await fetch(`${running().origin}${path}`, {
      headers: { 'User-Agent': userAgent },
    });
    await response.arrayBuffer();
    return response;
  }

  async function statsJson(): Promise<StatsReport> {
    const response = await fetch(`${running().origin}/stats.json`, {
      headers: { Authorization: `Bearer ${running().token}` },
    });
    expect(response.status, running().log().slice(-4000)).toBe(200);
    return StatsReportSchema.parse(await response.json());
  }

  it('counts Feedly (134, then 136), Inoreader 3, NewsBlur 7, Miniflux and FreshRSS twice each: 148 readers of /rss.xml within 60 s, in /stats.json and on /stats', async () => {
    const answers = [];
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
      const response = await fetchFeed('/rss.xml', ua);
      answers.push(`${response.status} ${response.headers.get('X-Build-Id')}`);
    }
    // Served by the build npm start made.
    expect(answers).toEqual(Array(8).fill(`200 ${running().buildId}`));
    const deadline = Date.now() + ESTIMATE_WITHIN_MS;
    let report = await statsJson();
    const readersOf = (path: string) => report.feeds.find((feed) => feed.path === path)?.readers;
    while (readersOf('/rss.xml') !== 148 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      report = await statsJson();
    }
    expect(readersOf('/rss.xml'), running().log().slice(-4000)).toBe(148);
    expect(report.feeds.find((feed) => feed.path === '/rss.xml')?.days.at(-1)).toMatchObject({
      requests: 8,
      notModified: 0,
      tooManyRequests: 0,
      readers: 148,
    });
    // Another feed nobody fetched; every subscription document is listed.
    expect(readersOf('/feed.json')).toBe(0);
    expect(report.feeds.find((feed) => feed.path === '/feed.json')?.requests).toBe(0);
    expect(report.feeds.map((feed) => feed.path).sort()).toEqual(running().feeds);
    // The made-up history is read back too (aggregators of the last 3 days, readers of the last 24 h).
    for (const path of HISTORY_PATHS) expect(readersOf(path), path).toBeGreaterThan(0);

    // The same numbers as a page: /rss.xml's row says 148, of which 146 from aggregators,
    // 2 other readers and no WebSub subscriptions.
    const page = await fetch(`${running().origin}/stats`, {
      headers: { Authorization: `Bearer ${running().token}` },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get('Content-Type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toMatch(
      /<a href="\/rss\.xml">\/<wbr>rss\.xml<\/a><\/th><td class="readers"><strong>148<\/strong><small>146 · 2 · 0<\/small>/,
    );
    for (const path of running().feeds) expect(html, path).toContain(`<a href="${path}">`);
  }, 90_000);

  it('keeps /stats and /stats.json from anyone without the token, or with another', async () => {
    for (const path of ['/stats', '/stats.json']) {
      for (const authorization of [undefined, `Bearer ${running().token}x`, 'Bearer wrong']) {
        const response = await fetch(`${running().origin}${path}`, {
          headers: authorization === undefined ? {} : { Authorization: authorization },
        });
        const what = `${path} ${authorization ?? 'without a token'}`;
        expect(response.status, what).toBe(401);
        expect(response.headers.get('WWW-Authenticate'), what).toMatch(/^Bearer realm=/);
        if (authorization !== undefined) {
          expect(response.headers.get('WWW-Authenticate'), what).toContain('error="invalid_token"');
        }
        expect(await response.text(), what).toBe('');
      }
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
