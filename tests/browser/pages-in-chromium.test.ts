// The pages in a real browser: Debian's chromium, headless, against `wrangler dev` serving
// a build of tests/fixtures/site. Checks autodiscovery, every feed link, that nothing but
// article thumbnails is fetched from elsewhere, and saves the README's screenshots.
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from './support/launch-chromium.ts';
import { type FixtureSite, serveFixtureSite } from './support/serve-fixture-site.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
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

/** axe-core's WCAG 2.0–2.2 A and AA rules plus its best practices (landmarks, headings). */
const AXE_RUN = `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } }).then((r) => r.violations.map((v) => v.id + ' (' + v.impact + '): ' + v.nodes.map((n) => n.target.join(' ')).join(', ')))`;

const missing = chromiumMissing();

if (missing && process.env.CI) {
  describe('pages in chromium', () => {
    it('has chromium to run in', () => {
      throw new Error(`browser test cannot run in CI: ${missing}`);
    });
  });
} else {
  if (missing) console.warn(`SKIPPED the browser test: ${missing}`);
  describe.skipIf(missing !== undefined)('pages in chromium', () => {
    let site: FixtureSite | undefined;
    let browser: Awaited<ReturnType<typeof launchChromium>> | undefined;
    const elsewhere: { url: string; type: string }[] = [];
    const failed: string[] = [];
    const consoleErrors: string[] = [];

    const context = (): BrowserContext => {
      if (!browser) throw new Error('chromium did not start');
      return browser.context;
    };
    const origin = (): string => {
      if (!site) throw new Error('wrangler dev did not start');
      return site.origin;
    };

    beforeAll(async () => {
      site = await serveFixtureSite();
      browser = await launchChromium();
      const own = site.origin;
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

    afterAll(async () => {
      await browser?.close();
      await site?.stop();
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

    it('saves desktop and phone screenshots, light and dark, without sideways scrolling', async () => {
      await mkdir(SCREENSHOTS, { recursive: true });
      for (const [name, path] of [
        ['index', '/'],
        ['topic', TOPIC],
      ] as const) {
        for (const [device, width] of [
          ['desktop', 1280],
          ['phone', 390],
        ] as const) {
          for (const scheme of ['light', 'dark'] as const) {
            const page = await context().newPage();
            await page.setViewportSize({ width, height: device === 'phone' ? 844 : 800 });
            await page.emulateMedia({ colorScheme: scheme });
            await page.goto(`${origin()}${path}`, { waitUntil: 'networkidle' });
            if (name === 'index') await page.locator('details.copy summary').first().click();
            const scrollWidth = await page.evaluate('document.documentElement.scrollWidth');
            expect(scrollWidth, `${name} ${device} ${scheme}`).toBeLessThanOrEqual(width);
            await page.screenshot({
              path: join(SCREENSHOTS, `${name}-${device}-${scheme}.png`),
              fullPage: true,
            });
            await page.close();
          }
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
        for (const scheme of ['light', 'dark'] as const) {
          const page = await context().newPage();
          await page.emulateMedia({ colorScheme: scheme });
          await page.goto(`${origin()}${path}`, { waitUntil: 'networkidle' });
          // Open a copy fold so its fields are checked too.
          if (path === '/') await page.locator('details.copy summary').first().click();
          // Evaluated through the DevTools protocol: the page's CSP, which allows no
          // script, does not apply to it, and the page itself stays script-free.
          await page.evaluate(axeSource);
          expect(await page.evaluate(AXE_RUN), `${path} ${scheme}`).toEqual([]);
          await page.close();
        }
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
      await page.screenshot({
        path: join(SCREENSHOTS, 'feed-view-desktop-light.png'),
        fullPage: true,
      });
      await page.close();
      // A feed reader's request (no Fetch metadata), and one with a browser's Accept alone.
      const stored = site?.bodyOf('/rss.xml');
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
