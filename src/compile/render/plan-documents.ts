import { createHash } from 'node:crypto';
import {
  archiveFeedPath,
  archivePagePath,
  type FeedFormat,
  type FeedScope,
  feedPath,
  pagePath,
} from '../../core/document-paths.ts';
import type { FeedGroup, SiteSettings } from '../../core/feed-group.ts';
import type { DocumentType } from '../../core/media-types.ts';
import type { ArticleCore, PublishedArticle } from '../../core/published-article.ts';
import type { FeedGroups } from '../site/group-feeds.ts';
import { assembleDocument, type DocumentFrame } from './document-frame.ts';
import {
  archiveDocument,
  archiveItems,
  type FeedDocument,
  subscriptionDocument,
} from './feed-document.ts';
import { type ItemFormat, ItemMarkup } from './item-markup.ts';
import { renderArchivePage } from './render-archive-page.ts';
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
  type: DocumentType;
  /** Epoch ms of the newest item shown (Last-Modified). */
  updated: number;
  inputHash: string;
  /** The document's bytes, in pieces (assembleDocument). */
  render: () => Buffer[];
};

export type PlanContext = {
  site: SiteSettings;
  pageSize: number;
  /** The full article for a core (a read from disk when the build cache had only the core). */
  load: (core: ArticleCore) => PublishedArticle;
  /** A digest of an article's seed bytes (ParsedSeed `content`). */
  contentOf: (file: string) => string;
};

type Format = { file: FeedFormat; type: DocumentType; item: ItemFormat };
const FORMATS: readonly Format[] = [
  { file: 'rss.xml', type: 'rss', item: 'rss' },
  { file: 'atom.xml', type: 'atom', item: 'atom' },
  { file: 'feed.json', type: 'feed', item: 'json' },
];

/**
 * Every document of the URL table, with what each depends on: for each feed its three
 * subscription documents and its RFC 5005 archive pages in three formats, each feed's HTML
 * page and each archive page's, and the site-wide documents. Jobs come format by format, so
 * that rendering them in order keeps one format's item markup in memory at a time.
 */
export function planDocuments(
  groups: FeedGroups<ArticleCore>,
  context: PlanContext,
): DocumentJob[] {
  const { site, pageSize } = context;
  const all = [groups.site, ...groups.topics, ...groups.providers];
  const siteJson = JSON.stringify(site);
  const metas = all.map(groupMeta);
  const ids = new ItemIds(context);
  const markup = new ItemMarkup(site, context.load);
  const jobs: DocumentJob[] = [];
  // Per group: the hash of its subscription inputs, and of each archive page's items.
  const subscriptionHashes = all.map((g, i) => hash(siteJson, metas[i] ?? '', ids.of(g.articles)));
  const pageHashes = all.map((g) =>
    Array.from({ length: g.archivePages }, (_, k) =>
      hash(siteJson, scopeId(g.scope), String(k + 1), ids.of(archiveItems(g, k + 1, pageSize))),
    ),
  );
  const frame = (f: Format, doc: FeedDocument, count: number): DocumentFrame =>
    f.file === 'rss.xml'
      ? renderRss(doc, site)
      : f.file === 'atom.xml'
        ? renderAtom(doc, site)
        : renderJsonFeed(doc, site, count);
  for (const f of FORMATS) {
    for (const [index, g] of all.entries()) {
      jobs.push({
        path: feedPath(g.scope, f.file),
        type: f.type,
        updated: g.updated,
        inputHash: hash(f.file, subscriptionHashes[index] ?? ''),
        render: () => {
          const doc = subscriptionDocument(g);
          return assembleDocument(
            frame(f, doc, doc.articles.length),
            markup.of(f.item, doc.articles),
          );
        },
      });
      for (let page = 1; page <= g.archivePages; page++) {
        const items = archiveItems(g, page, pageSize);
        jobs.push({
          path: archiveFeedPath(g.scope, page, f.file),
          type: f.type,
          updated: items.at(-1)?.date ?? 0,
          inputHash: hash(f.file, 'archive', pageHashes[index]?.[page - 1] ?? ''),
          render: () => {
            const doc = archiveDocument(g, page, pageSize, site.title);
            return assembleDocument(
              frame(f, doc, doc.articles.length),
              markup.of(f.item, doc.articles),
            );
          },
        });
      }
    }
  }
  for (const [index, g] of all.entries()) {
    const meta = `${siteJson}\u0000${metas[index] ?? ''}`;
    if (g.scope.kind !== 'site') {
      jobs.push({
        path: pagePath(g.scope),
        type: 'html',
        updated: g.updated,
        inputHash: hash('page', subscriptionHashes[index] ?? ''),
        render: () => assembleDocument(renderFeedPage(site, g), markup.of('html', g.articles)),
      });
    }
    for (let page = 1; page <= g.archivePages; page++) {
      const items = archiveItems(g, page, pageSize);
      const newest = items.at(-1)?.date ?? 0;
      jobs.push({
        path: archivePagePath(g.scope, page),
        type: 'html',
        updated: newest,
        inputHash: hash('archive-page', meta, pageHashes[index]?.[page - 1] ?? ''),
        render: () =>
          assembleDocument(
            renderArchivePage(site, g, page, pageSize, newest),
            markup.of('html', [...items].reverse()),
          ),
      });
    }
  }
  // The site-wide documents depend on every group's counts and dates, not on item bodies.
  const indexHash = hash('index', siteJson, ...metas);
  const updated = groups.site.updated;
  jobs.push(
    {
      path: '/',
      type: 'html',
      updated,
      inputHash: indexHash,
      render: () => [
        Buffer.from(renderIndexPage(site, groups.site, groups.topics, groups.providers)),
      ],
    },
    {
      path: '/opml.xml',
      type: 'opml',
      updated,
      inputHash: hash('opml', indexHash),
      render: () => [Buffer.from(renderOpml(site, all, updated))],
    },
    {
      path: '/feeds.json',
      type: 'json',
      updated,
      inputHash: hash('feeds', indexHash),
      render: () => [Buffer.from(renderFeedsList(site, all))],
    },
    {
      path: '/style.css',
      type: 'css',
      updated,
      inputHash: hash('css', STYLESHEET, String(updated)),
      render: () => [Buffer.from(STYLESHEET)],
    },
    {
      path: '/icon.svg',
      type: 'svg',
      updated,
      inputHash: hash('icon', ICON_SVG, String(updated)),
      render: () => [Buffer.from(ICON_SVG)],
    },
  );
  return jobs;
}

function groupMeta(g: FeedGroup<ArticleCore>): string {
  return JSON.stringify([
    scopeId(g.scope),
    g.name,
    g.title,
    g.description,
    g.total,
    g.archivePages,
    g.updated,
    g.parent ?? null,
    g.logo ?? null,
  ]);
}

/**
 * What an item's markup depends on, spelled short: a digest of its seed's bytes (so a
 * seed touched but not changed renders nothing again) and the provider and topics it
 * shows, which the whole site resolves.
 * Resolved providers and topics are shared objects, each spelled as a short digest once;
 * an item's id is made once per build however many documents list it.
 */
class ItemIds {
  readonly #context: PlanContext;
  readonly #ids = new Map<ArticleCore, string>();

  constructor(context: PlanContext) {
    this.#context = context;
  }

  of(articles: readonly ArticleCore[]): string {
    let joined = '';
    for (const a of articles) joined += this.#id(a);
    return joined;
  }

  #id(a: ArticleCore): string {
    let id = this.#ids.get(a);
    if (id === undefined) {
      const provider = sharedId(a.provider, () =>
        JSON.stringify([a.provider.domain, a.provider.name, a.provider.logo ?? null]),
      );
      id = `\u0000${this.#context.contentOf(a.file)}\u0001${provider}`;
      for (const t of a.topics) id += `\u0002${sharedId(t, () => `${t.slug}\u0001${t.name}`)}`;
      this.#ids.set(a, id);
    }
    return id;
  }
}

const sharedIds = new WeakMap<object, string>();

function sharedId(o: object, spell: () => string): string {
  let id = sharedIds.get(o);
  if (id === undefined) {
    id = createHash('sha256').update(spell()).digest('base64url').slice(0, 16);
    sharedIds.set(o, id);
  }
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
