// The fixture site (tests/fixtures/site) served by the real `npm start` (scripts/start.ts:
// build, publish, D1 migrations, wrangler dev) with STATS_TOKEN in its environment, checked
// in two parts on that one server, one after the other:
// - reader statistics end to end: feed readers fetching /rss.xml as they do in the wild, and
//   /stats.json reporting the estimate once the worker has written its batch to D1
//   (STATS_FLUSH_SECONDS as wrangler.toml sets it), then /stats in chromium: accessibility
//   and the screenshot docs/stats.md shows (written when EDGEFEED_SCREENSHOTS=1: it shows
//   the time and today's date, so a file written on every run would never stay committed).
//   Three other feeds are given 30 days of made-up history before npm start, so the
//   sparklines have data;
// - the pages in Debian's chromium, headless: autodiscovery, every feed link, that nothing
//   but article thumbnails is fetched from elsewhere, and the README's screenshots.
// The statistics come first: they count every request to /rss.xml and /feed.json, which the
// page checks then fetch too. One server for both saves a build, a load into the local store
// and a `wrangler dev` (about 10 s of CPU; docs/performance.md "Test suite").
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
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
/** axe-core's WCAG 2.0–2.2 A and AA rules plus its best practices (landmarks, headings). */
const AXE_RUN = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }).then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`;

/** The page's background colour, which its light and dark schemes set differently. */
const BACKGROUND = 'getComputedStyle(document.body).backgroundColor';
const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
/**
 * The README's screenshots (docs/screenshots) are written when EDGEFEED_SCREENSHOTS=1, not on
 * every run: rasterising and encoding eleven full pages took about as much CPU as every other
 * check in this file's chromium, and what they show is checked here either way (no sideways
 * scrolling, accessibility in both schemes, the feed view's content).
 */
const WRITE_SCREENSHOTS = process.env.EDGEFEED_SCREENSHOTS === '1';
const TOPIC = '/topics/ai/';
const MEDIA_TYPES: Record<string, string> = {
  'rss.xml': 'application/rss+xml; charset=utf-8',
  'atom.xml': 'application/atom+xml; charset=utf-8',
  'feed.json': 'application/feed+json; charset=utf-8',
  'opml.xml': 'text/x-opml; charset=utf-8',
  'feeds.json': 'application/json; charset=utf-8',
};
/** Stands in for article thumbnails, which live on other hosts: nothing leaves the machine. */
const THUMBNAIL = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 80"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="#7aa7e8"/><stop offset="1" stop-color="#2f5fa8"/></linearGradient></defs><rect width="120" height="80" fill="url(#g)"/><path d="M0 80 38 42l20 20 18-14 44 32z" fill="#1d3d70"/><circle cx="88" cy="22" r="9" fill="#ffd479"/></svg>`;

const missing = chromiumMissing();
const handle = statsSiteHandle();
const running = (): StatsSite => handle.site();

beforeAll(async () => {
  await handle.start(statsHistorySql(Date.now()));
}, 300_000);

/** One chromium for the file, launched by the first test that needs it. */
let chromiumStarted: ReturnType<typeof launchChromium> | undefined;
const sharedChromium = () => {
  chromiumStarted ??= launchChromium();
  return chromiumStarted;
};

// Stops chromium, then npm start's whole process group, and fails if any of it still runs.
afterAll(async () => {
  try {
    await (await chromiumStarted)?.close();
  } finally {
    await handle.stop();
  }
}, 30_000);

describe('reader statistics under npm start', () => {
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

  if (missing && !process.env.CI) console.warn(`SKIPPED /stats in chromium: ${missing}`);
  it.skipIf(missing !== undefined && !process.env.CI)(
    'shows /stats in chromium, a sparkline per document, accessible in light and dark',
    async () => {
      if (missing) throw new Error(`/stats cannot be checked in chromium in CI: ${missing}`);
      const browser = await sharedChromium();
      const axeSource = await readFile(
        createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
        'utf8',
      );
      const page = await browser.context.newPage();
      // On this page only: the pages below are opened without the token.
      await page.setExtraHTTPHeaders({ Authorization: `Bearer ${running().token}` });
      const response = await page.goto(`${running().origin}/stats`, { waitUntil: 'networkidle' });
      expect(response?.status()).toBe(200);
      expect(await page.locator('svg.spark').count()).toBe(running().feeds.length);
      await page.evaluate(axeSource);
      // One load, both schemes: switching prefers-color-scheme restyles the page in place,
      // and axe reads the computed styles (contrast included) afresh on each run.
      const backgrounds = new Set<unknown>();
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        backgrounds.add(await page.evaluate(BACKGROUND));
        expect(await page.evaluate(AXE_RUN), scheme).toEqual([]);
        if (scheme === 'light' && WRITE_SCREENSHOTS) {
          await mkdir(dirname(SCREENSHOT), { recursive: true });
          await page.screenshot({ path: SCREENSHOT, fullPage: true });
        }
      }
      // The switch took: axe saw two different pages.
      expect(backgrounds.size).toBe(2);
      await page.close();
    },
    90_000,
  );
});

if (missing && process.env.CI) {
  describe('pages in chromium', () => {
    it('has chromium to run in', () => {
      throw new Error(`browser test cannot run in CI: ${missing}`);
    });
  });
} else {
  if (missing) console.warn(`SKIPPED the browser test: ${missing}`);
  describe.skipIf(missing !== undefined)('pages in chromium', () => {
    let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
    const elsewhere: { url: string; type: string }[] = [];
    const failed: string[] = [];
    const consoleErrors: string[] = [];

    const context = (): BrowserContext => {
      if (!browser) throw new Error('chromium did not start');
      return browser.context;
    };
    const origin = (): string => running().origin;

    beforeAll(async () => {
      browser = await sharedChromium();
      const own = running().origin;
      await browser.context.route('**/*', async (route) => {
        const request = route.request();
        if (request.url().startsWith(`${own}/`)) return route.continue();
        elsewhere.push({ url: request.url(), type: request.resourceType() });
        if (request.resourceType() === 'image') {
          return route.fulfill({ contentType: 'image/svg+xml', body: THUMBNAIL });
        }
        return route.abort('blockedbyclient');
      });
      browser.context.on('response', (response) => {
        if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
      });
    });

    async function open(path: string): Promise<Page> {
      const page = await context().newPage();
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(`${path}: ${message.text()}`);
      });
      page.on('pageerror', (error) => consoleErrors.push(`${path}: ${error.message}`));
      const response = await page.goto(`${origin()}${path}`, { waitUntil: 'load' });
      expect(response?.status(), path).toBe(200);
      expect(response?.headers()['content-type'], path).toBe('text/html; charset=utf-8');
      return page;
    }

    /** `type href` of each autodiscovery link, the href resolved as a reader would. */
    const alternates = async (page: Page) => {
      const links = await page.$$eval('link[rel="alternate"]', (elements) =>
        elements.map((e) => [e.getAttribute('type'), e.getAttribute('href') ?? ''] as const),
      );
      return links.map(([type, href]) => `${type} ${new URL(href, page.url()).href}`);
    };
    const ownFeeds = (path: string) => [
      `application/rss+xml ${origin()}${path}rss.xml`,
      `application/atom+xml ${origin()}${path}atom.xml`,
      `application/feed+json ${origin()}${path}feed.json`,
    ];

    it('advertises the site feeds on / and the topic feeds on its page, and nothing else', async () => {
      const index = await open('/');
      expect(await alternates(index)).toEqual(ownFeeds('/'));
      const topic = await open(TOPIC);
      expect(await alternates(topic)).toEqual(ownFeeds(TOPIC));
      await index.close();
      await topic.close();
    });

    it('resolves every feed link on both pages with 200 and its media type', async () => {
      const hrefs = new Set<string>();
      for (const path of ['/', TOPIC]) {
        const page = await open(path);
        const found = await page.$$eval('a[href], link[rel="alternate"]', (elements) =>
          elements.map((e) => e.getAttribute('href') ?? ''),
        );
        for (const href of found.map((h) => new URL(h, page.url()).href)) {
          if (/\/(rss\.xml|atom\.xml|feed\.json|opml\.xml|feeds\.json)$/.test(href))
            hrefs.add(href);
        }
        await page.close();
      }
      // Site, 3 topics and 2 providers on the index, 3 formats each, plus OPML and feeds.json.
      expect(hrefs.size).toBe(6 * 3 + 2);
      for (const href of hrefs) {
        expect(href.startsWith(`${origin()}/`), href).toBe(true);
        const response = await context().request.get(href);
        const name = href.slice(href.lastIndexOf('/') + 1);
        expect(response.status(), href).toBe(200);
        expect(response.headers()['content-type'], href).toBe(MEDIA_TYPES[name]);
      }
    });

    it('offers each feed URL in a read-only field that holds exactly the linked URL', async () => {
      const page = await open('/');
      const summary = page.locator('details.copy summary').first();
      const field = page.locator('details.copy input.copy').first();
      await expect(field.isVisible()).resolves.toBe(false);
      await summary.click();
      await expect(field.isVisible()).resolves.toBe(true);
      await field.click();
      expect(await field.getAttribute('readonly')).not.toBeNull();
      expect(await field.inputValue()).toBe(`${origin()}/topics/technology/rss.xml`);
      expect(await field.getAttribute('aria-label')).toBe('RSS feed URL of Technology');
      // Read-only, yet it takes focus and its text can be selected and copied.
      await field.selectText();
      const selected = await page.evaluate(
        '(({ value, selectionStart, selectionEnd }) => value.slice(selectionStart, selectionEnd))(document.activeElement)',
      );
      expect(selected).toBe(`${origin()}/topics/technology/rss.xml`);
      await page.close();
    });

    it('fits desktop and phone widths, light and dark, without sideways scrolling (and saves the screenshots)', async () => {
      await mkdir(SCREENSHOTS, { recursive: true });
      for (const [name, path] of [
        ['index', '/'],
        ['topic', TOPIC],
      ] as const) {
        for (const [device, width] of [
          ['desktop', 1280],
          ['phone', 390],
        ] as const) {
          // Loaded at the device's width; each scheme is then a restyle of the same page.
          const page = await context().newPage();
          await page.setViewportSize({ width, height: device === 'phone' ? 844 : 800 });
          await page.goto(`${origin()}${path}`, { waitUntil: 'networkidle' });
          if (name === 'index') await page.locator('details.copy summary').first().click();
          for (const scheme of ['light', 'dark'] as const) {
            await page.emulateMedia({ colorScheme: scheme });
            const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
            expect(scrollWidth, `${name} ${device} ${scheme}`).toBeLessThanOrEqual(width);
            if (WRITE_SCREENSHOTS) {
              await page.screenshot({
                path: join(SCREENSHOTS, `${name}-${device}-${scheme}.png`),
                fullPage: true,
              });
            }
          }
          await page.close();
        }
      }
    });

    it('passes axe-core accessibility checks (WCAG 2.2 AA, contrast included) in light and dark', async () => {
      const axeSource = await readFile(
        createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
        'utf8',
      );
      // '/rss.xml' opened in a browser is the feed's HTML view.
      for (const path of ['/', TOPIC, '/rss.xml']) {
        const page = await context().newPage();
        await page.goto(`${origin()}${path}`, { waitUntil: 'networkidle' });
        // Open a copy fold so its fields are checked too.
        if (path === '/') await page.locator('details.copy summary').first().click();
        // Evaluated through the DevTools protocol: the page's CSP, which allows no
        // script, does not apply to it, and the page itself stays script-free.
        await page.evaluate(axeSource);
        // One load, both schemes: switching prefers-color-scheme restyles the page in place,
        // and axe reads the computed styles (contrast included) afresh on each run.
        const backgrounds = new Set<unknown>();
        for (const scheme of ['light', 'dark'] as const) {
          await page.emulateMedia({ colorScheme: scheme });
          backgrounds.add(await page.evaluate(BACKGROUND));
          expect(await page.evaluate(AXE_RUN), `${path} ${scheme}`).toEqual([]);
        }
        // The switch took: axe saw two different pages.
        expect(backgrounds.size, path).toBe(2);
        await page.close();
      }
    });

    it('shows a feed URL opened in the browser as a page with its newest item, and gives anything else the feed', async () => {
      await mkdir(SCREENSHOTS, { recursive: true });
      const page = await context().newPage();
      await page.setViewportSize({ width: 1280, height: 800 });
      const response = await page.goto(`${origin()}/rss.xml`, { waitUntil: 'networkidle' });
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-type']).toBe('text/html; charset=utf-8');
      expect(response?.headers().vary).toBe('Accept-Encoding, Sec-Fetch-Dest, Sec-Fetch-Mode');
      // The fixture's newest published article.
      await expect(page.locator('ol.items h3').first().textContent()).resolves.toContain(
        'Org Daily on AI safety',
      );
      expect(await page.locator('#feed-url').inputValue()).toBe(`${origin()}/rss.xml`);
      if (WRITE_SCREENSHOTS) {
        await page.screenshot({
          path: join(SCREENSHOTS, 'feed-view-desktop-light.png'),
          fullPage: true,
        });
      }
      await page.close();
      // A feed reader's request (no Fetch metadata), and one with a browser's Accept alone.
      const stored = running().bodyOf('/rss.xml');
      expect(stored).toMatch(/^<\?xml/);
      for (const headers of [{}, { Accept: 'text/html,application/xhtml+xml,*/*;q=0.8' }]) {
        const reader = await fetch(`${origin()}/rss.xml`, { headers });
        expect(reader.headers.get('content-type')).toBe(MEDIA_TYPES['rss.xml']);
        expect(await reader.text()).toBe(stored);
      }
    });

    it('fetched nothing from other hosts but thumbnails, and nothing failed', () => {
      expect(elsewhere.length).toBeGreaterThan(0);
      for (const request of elsewhere) {
        expect(request, request.url).toEqual({
          url: 'https://example.com/images/ai-cloud.jpg',
          type: 'image',
        });
      }
      expect(failed).toEqual([]);
      expect(consoleErrors).toEqual([]);
    });
  });
}
