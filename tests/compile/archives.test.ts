// RFC 5005 archives as a feed reader meets them: walked from each subscription document with
// a third-party parser (feedsmith), page by page, in all three formats.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/compile/build-site.ts';
import { type CompiledBuild, compileBuild } from '../../src/compile/compile-build.ts';
import { buildOptions } from '../support/build-options.ts';
import { assertValidJsonFeed, readWithFeedsmith, readXmlFeed } from '../support/feed-checks.ts';
import { type SeedFields, seedText, writeSeedFolder } from '../support/seed-folder.ts';

const SITE = 'https://feeds.example.org';
const PAGE = 5;

/** Article n: 2021-01-(n+1), provider a or b, topic AI or Cloud; same-day pairs test ties. */
function article(n: number, extra: SeedFields = {}): string {
  const day = String(1 + Math.floor(n / 2)).padStart(2, '0');
  return seedText({
    url: `https://${n % 3 === 0 ? 'b' : 'a'}.example/${String(n).padStart(3, '0')}`,
    domain: n % 3 === 0 ? 'b.example' : 'a.example',
    date: `2021-01-${day}T0${n % 2}:00:00Z`,
    topics: [n % 4 === 0 ? 'Cloud' : 'AI'],
    title: `Story ${n}`,
    ...extra,
  });
}

async function site(count: number, more: Record<string, string> = {}): Promise<string> {
  const files: Record<string, string> = { ...more };
  for (let n = 0; n < count; n++) files[`s${String(n).padStart(3, '0')}.md`] = article(n);
  return writeSeedFolder(files);
}

const text = (build: CompiledBuild, path: string): string => {
  const doc = build.documents.find((d) => d.path === path);
  if (!doc) throw new Error(`no ${path}`);
  return doc.body;
};

type Feed = {
  page: string;
  count: number;
  archivePages: number;
  urls: { rss: string; atom: string; json: string };
};
const feedsOf = (build: CompiledBuild) =>
  (JSON.parse(text(build, '/feeds.json')) as { feeds: Feed[] }).feeds;
const local = (url: string) => url.slice(SITE.length);

type Read = { ids: string[]; prev: string | undefined; links: Map<string, string> };

/** One document as feedsmith reads it: item ids and the links a history walk follows. */
function read(build: CompiledBuild, path: string): Read {
  const body = text(build, path);
  const parsed = readWithFeedsmith(body);
  const links = new Map<string, string>();
  if (parsed.format === 'json') {
    const json = assertValidJsonFeed(body);
    const feed = parsed.feed;
    if (feed.next_url) links.set('next', feed.next_url);
    const fh = (json._fh ?? {}) as Record<string, unknown>;
    if (typeof fh.next_archive === 'string') links.set('next-archive', fh.next_archive);
    expect(json.feed_url).not.toBe(json.next_url);
    return { ids: (feed.items ?? []).map((i) => String(i.id)), prev: feed.next_url, links };
  }
  readXmlFeed(body); // well-formed, and read by a second parser too
  if (parsed.format === 'rss') {
    for (const l of parsed.feed.atom?.links ?? []) if (l.rel && l.href) links.set(l.rel, l.href);
    const ids = (parsed.feed.items ?? []).map((i) => String(i.guid?.value));
    return { ids, prev: links.get('prev-archive'), links };
  }
  if (parsed.format !== 'atom') throw new Error(`${path} is ${parsed.format}`);
  for (const l of parsed.feed.links ?? []) if (l.rel && l.href) links.set(l.rel, l.href);
  const ids = (parsed.feed.entries ?? []).map((e) => String(e.id));
  return { ids, prev: links.get('prev-archive'), links };
}

/** The documents a reader fetches walking back from a subscription document. */
function walk(build: CompiledBuild, subscription: string): { path: string; read: Read }[] {
  const seen: { path: string; read: Read }[] = [];
  for (let path: string | undefined = subscription; path !== undefined; ) {
    if (seen.some((s) => s.path === path)) throw new Error(`${path} comes round again`);
    const r = read(build, path);
    seen.push({ path, read: r });
    path = r.prev === undefined ? undefined : local(r.prev);
  }
  return seen;
}

describe('RFC 5005 archives', () => {
  it('lead from every subscription document, in every format, to each item exactly once', async () => {
    const build = await compileBuild(
      buildOptions(await site(23), { siteUrl: SITE, pageSize: PAGE }),
    );
    const feeds = feedsOf(build);
    expect(feeds.length).toBe(5); // the site, AI, Cloud, a.example, b.example
    for (const feed of feeds) {
      expect(feed.archivePages).toBe(feed.count > PAGE ? Math.floor(feed.count / PAGE) : 0);
      for (const url of Object.values(feed.urls)) {
        const [current, ...pages] = walk(build, local(url));
        if (!current) throw new Error('no subscription document');
        expect(pages).toHaveLength(feed.archivePages);
        // Sealed pages hold exactly PAGE items each; with the newest T mod N, which only
        // the subscription document holds, they hold every item once.
        const sealed = pages.flatMap((p) => p.read.ids);
        for (const p of pages) expect(p.read.ids).toHaveLength(PAGE);
        const rest = current.read.ids.slice(0, feed.count - sealed.length);
        const all = [...rest, ...sealed];
        expect(new Set(all).size).toBe(feed.count);
        expect(all).toHaveLength(feed.count);
        // Newest first everywhere: walking back, each page is older than the one before
        // (an item's number grows with its date).
        const numbers = all.map((id) => Number(id.slice(-3)));
        expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
        pages.forEach((p, i) => {
          const k = feed.archivePages - i;
          expect(p.path).toMatch(new RegExp(`/archive/${k}/(rss\\.xml|atom\\.xml|feed\\.json)$`));
          expect(p.read.links.get('self') ?? SITE + p.path).toBe(SITE + p.path);
          if (!url.endsWith('feed.json')) expect(p.read.links.get('current')).toBe(url);
          // next-archive names page k+1 from the start: the newest page's is sealed later.
          const next = SITE + p.path.replace(`/archive/${k}/`, `/archive/${k + 1}/`);
          expect(p.read.links.get('next-archive')).toBe(next);
        });
      }
    }
  });

  it('mark archive pages fh:archive and a feed that fits in one document fh:complete', async () => {
    const build = await compileBuild(
      buildOptions(await site(23), { siteUrl: SITE, pageSize: PAGE }),
    );
    for (const format of ['rss.xml', 'atom.xml']) {
      expect(text(build, `/archive/1/${format}`)).toContain('<fh:archive/>');
      expect(text(build, `/${format}`)).not.toContain('<fh:complete/>');
      // b.example has 8 articles (n % 3 === 0): one sealed page; the Cloud topic has 6.
      expect(text(build, `/providers/b.example/${format}`)).not.toContain('fh:complete');
    }
    const small = await compileBuild(
      buildOptions(await site(4), { siteUrl: SITE, pageSize: PAGE }),
    );
    expect(text(small, '/rss.xml')).toContain('<fh:complete/>');
    expect(text(small, '/atom.xml')).toContain('<fh:complete/>');
    const json = JSON.parse(text(small, '/feed.json')) as { next_url?: string; _fh: object };
    expect(json.next_url).toBeUndefined();
    expect(json._fh).toMatchObject({ complete: true });
    expect(small.documents.some((d) => d.path.includes('/archive/'))).toBe(false);
  });

  it('never change a sealed page when newer articles arrive, and seal at most one per feed', async () => {
    const dir = await site(23);
    const options = buildOptions(dir, { siteUrl: SITE, pageSize: PAGE });
    const sealed = (b: CompiledBuild) =>
      new Map(
        b.documents
          .filter((d) => /\/archive\/\d+\/[a-z.]+$/.test(d.path))
          .map((d) => [d.path, d.body]),
      );
    // The people's pages of the site's archive: each changes only when the page after it is
    // sealed. (A topic's or provider's pages show its name, which these articles rename.)
    const pages = (b: CompiledBuild) =>
      new Map(
        b.documents.filter((d) => /^\/archive\/\d+\/$/.test(d.path)).map((d) => [d.path, d.body]),
      );
    const newestPage = (all: Map<string, unknown>, path: string) =>
      !all.has(path.replace(/\/(\d+)\/$/, (_, k: string) => `/${Number(k) + 1}/`));
    const first = await compileBuild(options);
    let old = sealed(first);
    let oldPages = pages(first);
    let newlySealed = 0;
    for (let n = 23; n < 30; n++) {
      // The newer articles also spell their provider and topic otherwise: a feed's name may
      // follow its newest article, an archived page's never does.
      const renamed = article(n, {
        provider: 'Renamed Provider',
        topics: [n % 4 ? 'ai' : 'CLOUD'],
      });
      await writeFile(join(dir, `s${String(n).padStart(3, '0')}.md`), renamed);
      const build = await compileBuild(options);
      const now = sealed(build);
      for (const [path, body] of old) expect(now.get(path), path).toBe(body);
      const nowPages = pages(build);
      for (const [path, body] of oldPages) {
        if (!newestPage(oldPages, path)) expect(nowPages.get(path), path).toBe(body);
      }
      oldPages = nowPages;
      // One newer article seals at most one page per feed, in each of its three formats.
      const added = [...now.keys()].filter((p) => !old.has(p));
      const documents = added.map((p) => p.replace(/\/archive\/\d+\//, '/'));
      expect(new Set(documents).size).toBe(documents.length);
      newlySealed += added.length;
      old = now;
    }
    expect(newlySealed).toBeGreaterThan(0);
  });

  it('change the pages a backdated article lands in, and the build says why', async () => {
    const dir = await site(23);
    const options = buildOptions(dir, {
      siteUrl: SITE,
      pageSize: PAGE,
      cacheDir: join(dir, '.cache'),
    });
    await buildSite(options);
    await writeFile(
      join(dir, 'late.md'),
      article(100, { date: '2021-01-02T12:00:00Z', url: 'https://a.example/late' }),
    );
    const { report } = await buildSite(options);
    expect(report.archives.changed?.because).toEqual({ edited: 0, added: 1, removed: 0 });
    expect(report.archives.changed?.documents).toBeGreaterThan(0);
  });

  it('give people an HTML page per archive page, linked from the feed page', async () => {
    const build = await compileBuild(
      buildOptions(await site(23), { siteUrl: SITE, pageSize: PAGE }),
    );
    const topic = text(build, '/topics/ai/');
    expect(topic).toContain('href="/topics/ai/archive/3/"');
    const page = text(build, '/topics/ai/archive/2/');
    expect(page).toContain('href="/topics/ai/archive/1/" rel="prev"');
    expect(page).toContain('href="/topics/ai/archive/3/" rel="next"');
    expect(page).toContain(`href="${SITE}/topics/ai/archive/2/atom.xml"`);
    const newest = text(build, '/topics/ai/archive/3/');
    expect(newest).toContain('href="/topics/ai/">Newer: the latest articles');
    expect(text(build, '/')).toContain('href="/archive/4/"');
  });
});
