// RFC 5005 archives of the real corpora (issue #11, "Checks"), as a reader meets them: the
// real `npm start` serves ../shared/corpus/powerapps with --page-size 10, then
// `npm run deploy -- --local` switches it to ../shared/corpus/ai, and every feed
// /feeds.json lists (the site, every topic, every provider) is walked over HTTP in all three
// formats, from its subscription document through prev-archive (RSS, Atom) or next_url
// (JSON Feed) down to page 1. All of it, not a sample: the two corpora make about 1,600
// requests, a few seconds of walking after each build and load.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitedFetch } from '../support/limited-fetch.ts';
import { type NpmStart, runScript, startNpmStart } from '../support/npm-start.ts';
import type { FeedFormatName } from '../support/read-feed-page.ts';
import { type Walked, walkFeedHistory } from '../support/walk-feed-history.ts';

const ROOT = join(import.meta.dirname, '../..');
const PAGE_SIZE = 10;
/** Requests in flight at once: enough to keep wrangler dev busy, few enough for 2 cores. */
const CONCURRENCY = 8;
const IMMUTABLE = 'public, max-age=31536000, immutable';
const FORMATS = [
  { name: 'rss', file: 'rss.xml', type: 'application/rss+xml' },
  { name: 'atom', file: 'atom.xml', type: 'application/atom+xml' },
  { name: 'json', file: 'feed.json', type: 'application/feed+json' },
] as const satisfies { name: FeedFormatName; file: string; type: string }[];

type ListedFeed = {
  kind: string;
  count: number;
  archivePages: number;
  page: string;
  urls: Record<FeedFormatName, string>;
};
/** Every item of one feed in one format, newest first: the subscription-only rest, then pages. */
function checkWalk(feed: ListedFeed, format: (typeof FORMATS)[number], walked: Walked[]) {
  const url = feed.urls[format.name];
  const folder = url.slice(0, -format.file.length - 1);
  const [current, ...pages] = walked;
  if (!current) throw new Error(`${url}: nothing read`);
  expect(pages.map((p) => p.url)).toEqual(
    Array.from(
      { length: feed.archivePages },
      (_, i) => `${folder}/archive/${feed.archivePages - i}/${format.file}`,
    ),
  );
  // The subscription document: newest PAGE_SIZE items, fh:complete when that is all of them.
  expect(current.headers.get('cache-control')).not.toContain('immutable');
  expect(current.read).toMatchObject({ archive: false, complete: feed.count <= PAGE_SIZE });
  expect(current.read.ids).toHaveLength(Math.min(feed.count, PAGE_SIZE));
  expect(current.read.links.get('self')).toBe(url);
  expect(current.read.links.get('prev-archive')).toBe(pages[0]?.url);
  if (format.name === 'json') expect(current.read.feedUrl).toBe(url);
  for (const { url: self, headers, read } of pages) {
    expect(headers.get('content-type')).toBe(`${format.type}; charset=utf-8`);
    expect(headers.get('cache-control')).toBe(IMMUTABLE);
    expect(headers.get('etag')).toMatch(/^"[^"]+"$/); // strong: no W/ (RFC 9110 §8.8.3)
    expect(read.ids).toHaveLength(PAGE_SIZE);
    expect(read).toMatchObject({ archive: true, complete: false });
    expect(read.links.get('self')).toBe(self);
    expect(read.links.get('current')).toBe(url);
    // next-archive is page k+1, the newer neighbour in the walk (or not sealed yet).
    const k = Number(/\/archive\/(\d+)\//.exec(self)?.[1]);
    expect(read.links.get('next-archive')).toBe(
      self.replace(`/archive/${k}/`, `/archive/${k + 1}/`),
    );
    expect(read.links.get('prev-archive')).toBe(read.older);
    if (format.name === 'json') expect(read.feedUrl).toBe(url);
  }
  const sealed = pages.flatMap((p) => p.read.ids);
  const rest = feed.count - sealed.length;
  const all = [...current.read.ids.slice(0, rest), ...sealed];
  expect(all).toHaveLength(feed.count);
  expect(new Set(all).size).toBe(feed.count);
  // The subscription document's older items are the newest sealed page's newest ones.
  if (pages[0])
    expect(current.read.ids.slice(rest)).toEqual(pages[0].read.ids.slice(0, PAGE_SIZE - rest));
  const dates = [...current.read.dates.slice(0, rest), ...pages.flatMap((p) => p.read.dates)];
  return { all, dates };
}

/** Newest first by (date, id): the order, walked backwards. */
function expectNewestFirst(ids: string[], dates: number[]) {
  for (let i = 1; i < ids.length; i++) {
    const [a, b] = [dates[i - 1] ?? Number.NaN, dates[i] ?? Number.NaN];
    const [x, y] = [ids[i - 1] ?? '', ids[i] ?? ''];
    expect(a > b || (a === b && x > y), `${x} before ${y}`).toBe(true);
  }
}

const CORPORA = ['powerapps', 'ai'];

/**
 * One `npm start` for both corpora: the first corpus here starts it, each next one is
 * switched in with `npm run deploy -- --local`, as a user publishes to a running server
 * (one build and load, not a second wrangler dev). Each is walked while it is served.
 */
let server: NpmStart | undefined;
let dir: string | undefined;
afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
}, 30_000);

for (const name of CORPORA) {
  const seeds = join(ROOT, '../shared/corpus', name);
  const taxonomy = `${seeds}-data`;
  const present = existsSync(seeds) && existsSync(taxonomy);
  if (!present)
    console.log(`skipping the ${name} archive walk: ${seeds} or ${taxonomy} is not here`);

  describe.skipIf(!present)(
    `the ${name} corpus served by npm start --page-size ${PAGE_SIZE}`,
    () => {
      let feeds: ListedFeed[] = [];
      const http = limitedFetch(CONCURRENCY);
      const origin = () => server?.origin ?? 'http://127.0.0.1:0';

      beforeAll(async () => {
        dir ??= await mkdtemp(join(tmpdir(), 'edgefeed-walk-'));
        // No --site-url: npm start builds for the origin it serves, deploy --local for the
        // origin of the server it switches.
        const args = [
          ...['--seeds', seeds, '--taxonomy', taxonomy],
          ...['--page-size', String(PAGE_SIZE), '--skip-invalid', '--quiet'],
          ...['--out', join(dir, `out-${name}`), '--cache-dir', join(dir, `cache-${name}`)],
        ];
        if (server === undefined) {
          server = await startNpmStart(args, join(dir, 'state'));
        } else {
          const deployed = await runScript('deploy.ts', [
            ...['--local', '--persist-to', join(dir, 'state'), ...args],
          ]);
          expect(deployed.code, deployed.output).toBe(0);
        }
        const listed = await http.get(`${origin()}/feeds.json`);
        feeds = (JSON.parse(listed.body) as { feeds: ListedFeed[] }).feeds;
        // The corpus's own build is the one served.
        const health = JSON.parse((await http.get(`${origin()}/healthz`)).body) as {
          counts: { articles: number };
        };
        expect(feeds.find((f) => f.kind === 'site')?.count).toBe(health.counts.articles);
      }, 200_000);
      afterAll(() => {
        if (server) console.log(`${name}: ${http.count} requests to npm start in all`);
      });

      it('leads from every subscription document, in every format, to each item exactly once', {
        timeout: 300_000,
      }, async () => {
        const started = performance.now();
        const health = JSON.parse((await http.get(`${origin()}/healthz`)).body) as {
          counts: { articles: number; archivePages: number };
        };
        expect(feeds.find((f) => f.kind === 'site')?.count).toBe(health.counts.articles);
        expect(feeds.reduce((n, f) => n + f.archivePages, 0)).toBe(health.counts.archivePages);
        const walks = await Promise.all(
          feeds.flatMap((feed) =>
            FORMATS.map(async (format) => ({
              feed,
              format,
              walked: await walkFeedHistory(http, origin(), feed.urls[format.name], format.name),
            })),
          ),
        );
        const orders = new Map<ListedFeed, Map<FeedFormatName, string[]>>();
        for (const { feed, format, walked } of walks) {
          expect(feed.archivePages).toBe(
            feed.count > PAGE_SIZE ? Math.floor(feed.count / PAGE_SIZE) : 0,
          );
          const { all, dates } = checkWalk(feed, format, walked);
          if (format.name === 'json') expectNewestFirst(all, dates);
          orders.set(feed, (orders.get(feed) ?? new Map()).set(format.name, all));
        }
        // The three formats of a feed list the same items on the same pages, in the same order.
        for (const byFormat of orders.values()) {
          expect(byFormat.get('rss')).toEqual(byFormat.get('json'));
          expect(byFormat.get('atom')).toEqual(byFormat.get('json'));
        }
        // Every sealed page answers a conditional GET with its strong ETag with 304.
        const archives = walks.flatMap((w) => w.walked.slice(1));
        await Promise.all(
          archives.map(async ({ url, headers }) => {
            const etag = headers.get('etag') ?? '';
            const again = await http.get(url, { 'If-None-Match': etag });
            expect(again.status, url).toBe(304);
            expect(again.body).toBe('');
            expect(again.headers.get('etag')).toBe(etag);
            expect(again.headers.get('cache-control')).toBe(IMMUTABLE);
          }),
        );
        console.log(
          `${name}: ${feeds.length} feeds, ${walks.length} subscription documents, ${archives.length} archive documents, walked and revalidated in ${Math.round(performance.now() - started)} ms`,
        );
      });

      it('gives people an HTML page per archive page, linked from the feed page', {
        timeout: 120_000,
      }, async () => {
        await Promise.all(
          feeds.map(async (feed) => {
            const folder = new URL(feed.urls.rss).pathname.slice(0, -'/rss.xml'.length);
            const page = await http.get(feed.page);
            expect(page.status).toBe(200);
            if (feed.archivePages > 0)
              expect(page.body).toContain(`href="${folder}/archive/${feed.archivePages}/"`);
            for (let k = 1; k <= feed.archivePages; k++) {
              const archive = await http.get(`${origin()}${folder}/archive/${k}/`);
              expect(archive.status, `${folder}/archive/${k}/`).toBe(200);
              expect(archive.headers.get('content-type')).toBe('text/html; charset=utf-8');
              // Its "newer" link moves when the next page is sealed: not immutable.
              expect(archive.headers.get('cache-control')).not.toContain('immutable');
            }
          }),
        );
      });

      it('answers 404 for page 0, a page past the last and a page that is no number', {
        timeout: 120_000,
      }, async () => {
        const paths = feeds.flatMap((feed) => {
          const folder = new URL(feed.urls.rss).pathname.slice(0, -'/rss.xml'.length);
          return ['0', String(feed.archivePages + 1), 'one'].flatMap((k) =>
            ['', ...FORMATS.map((f) => f.file)].map((file) => `${folder}/archive/${k}/${file}`),
          );
        });
        const statuses = await Promise.all(
          paths.map(async (p) => [p, (await http.get(`${origin()}${p}`)).status]),
        );
        expect(statuses.filter(([, status]) => status !== 404)).toEqual([]);
      });
    },
  );
}
