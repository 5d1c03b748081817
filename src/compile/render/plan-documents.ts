import { createHash } from 'node:crypto';
import { type FeedScope, feedPath, pagePath } from '../../core/document-paths.ts';
import type { FeedGroup, SiteSettings } from '../../core/feed-group.ts';
import { MEDIA_TYPES } from '../../core/media-types.ts';
import type { ArticleCore, PublishedArticle } from '../../core/published-article.ts';
import type { FeedGroups } from '../site/group-feeds.ts';
import { renderAtom } from './render-atom.ts';
import { renderFeedPage } from './render-feed-page.ts';
import { renderFeedsList } from './render-feeds-list.ts';
import { renderIndexPage } from './render-index-page.ts';
import { renderJsonFeed } from './render-json-feed.ts';
import { renderOpml } from './render-opml.ts';
import { renderRss } from './render-rss.ts';
import { ICON_SVG, STYLESHEET } from './site-assets.ts';

/**
 * One document to serve: where, what type, and a hash of everything its bytes depend on.
 * `render` is called only when the build cache has no document with that hash.
 */
export type DocumentJob = {
  path: string;
  contentType: string;
  /** Epoch ms of the newest item shown (Last-Modified). */
  updated: number;
  inputHash: string;
  render: () => string;
};

export type PlanContext = {
  site: SiteSettings;
  /** The full article for a core (a read from disk when the build cache had only the core). */
  load: (core: ArticleCore) => PublishedArticle;
  /** Identity of an article's seed content: its file signature. */
  signatureOf: (file: string) => string;
};

/** Every document of the URL table, with what each depends on. */
export function planDocuments(
  groups: FeedGroups<ArticleCore>,
  context: PlanContext,
): DocumentJob[] {
  const { site } = context;
  const all = [groups.site, ...groups.topics, ...groups.providers];
  const siteJson = JSON.stringify(site);
  const metas = all.map(groupMeta);
  const jobs: DocumentJob[] = [];
  for (const [index, g] of all.entries()) {
    const groupHash = hashGroup(g, metas[index] ?? '', siteJson, context);
    const full = memoFull(g, context);
    const feed = (
      format: 'rss.xml' | 'atom.xml' | 'feed.json',
      contentType: string,
      render: (g: FeedGroup) => string,
    ) =>
      jobs.push({
        path: feedPath(g.scope, format),
        contentType,
        updated: g.updated,
        inputHash: hash(format, groupHash),
        render: () => render(full()),
      });
    feed('rss.xml', MEDIA_TYPES.rss, (f) => renderRss(f, site));
    feed('atom.xml', MEDIA_TYPES.atom, (f) => renderAtom(f, site));
    feed('feed.json', MEDIA_TYPES.jsonFeed, (f) => renderJsonFeed(f, site));
    if (g.scope.kind !== 'site') {
      jobs.push({
        path: pagePath(g.scope),
        contentType: MEDIA_TYPES.html,
        updated: g.updated,
        inputHash: hash('page', groupHash),
        render: () => renderFeedPage(site, full()),
      });
    }
  }
  // The site-wide documents depend on every group's counts and dates, not on item bodies.
  const indexHash = hash('index', siteJson, ...metas);
  const updated = groups.site.updated;
  jobs.push(
    {
      path: '/',
      contentType: MEDIA_TYPES.html,
      updated,
      inputHash: indexHash,
      render: () => renderIndexPage(site, groups.site, groups.topics, groups.providers),
    },
    {
      path: '/opml.xml',
      contentType: MEDIA_TYPES.opml,
      updated,
      inputHash: hash('opml', indexHash),
      render: () => renderOpml(site, all, updated),
    },
    {
      path: '/feeds.json',
      contentType: MEDIA_TYPES.json,
      updated,
      inputHash: hash('feeds', indexHash),
      render: () => renderFeedsList(site, all),
    },
    {
      path: '/style.css',
      contentType: 'text/css; charset=utf-8',
      updated,
      inputHash: hash('css', STYLESHEET, String(updated)),
      render: () => STYLESHEET,
    },
    {
      path: '/icon.svg',
      contentType: 'image/svg+xml',
      updated,
      inputHash: hash('icon', ICON_SVG, String(updated)),
      render: () => ICON_SVG,
    },
  );
  return jobs;
}

/** A group with full articles, loaded once however many of its documents are rendered. */
function memoFull(g: FeedGroup<ArticleCore>, context: PlanContext): () => FeedGroup {
  let full: FeedGroup | undefined;
  return () => {
    full ??= { ...g, articles: g.articles.map(context.load) };
    return full;
  };
}

function groupMeta(g: FeedGroup<ArticleCore>): string {
  return JSON.stringify([
    scopeId(g.scope),
    g.name,
    g.title,
    g.description,
    g.total,
    g.updated,
    g.parent ?? null,
    g.logo ?? null,
  ]);
}

/**
 * Resolved providers and topics are shared objects (one per domain, one per slug and name):
 * each is spelled as a short digest once, so that an item's part of a group's hash input
 * stays short (115,000 items at 100k seeds, hashed again on every rebuild).
 */
const sharedIds = new WeakMap<object, string>();

function sharedId(o: object, spell: () => string): string {
  let id = sharedIds.get(o);
  if (id === undefined) {
    id = createHash('sha256').update(spell()).digest('base64url').slice(0, 16);
    sharedIds.set(o, id);
  }
  return id;
}

/**
 * Everything a feed's documents depend on: its words and counts, the site, and for each
 * item its seed's content and what the whole site resolved for it (provider, topics). A
 * seed's signature (size, times, inode) stands for its content, and so for its URL and date.
 */
function hashGroup(
  g: FeedGroup<ArticleCore>,
  meta: string,
  siteJson: string,
  context: PlanContext,
): string {
  const h = createHash('sha256').update(meta).update('\u0000').update(siteJson);
  h.update(g.articles.map((a) => itemId(a, context)).join(''));
  return h.digest('base64url');
}

function itemId(a: ArticleCore, context: PlanContext): string {
  const provider = sharedId(a.provider, () =>
    JSON.stringify([a.provider.domain, a.provider.name, a.provider.logo ?? null]),
  );
  let id = `\u0000${context.signatureOf(a.file)}\u0001${provider}`;
  for (const t of a.topics) id += `\u0002${sharedId(t, () => `${t.slug}\u0001${t.name}`)}`;
  return id;
}

function scopeId(scope: FeedScope): string {
  return scope.kind === 'site' ? 'site' : `${scope.kind}:${scope.key}`;
}

function hash(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\u0000');
  return h.digest('base64url');
}
