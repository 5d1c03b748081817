import { createHash } from 'node:crypto';
import {
  archiveFeedPath,
  archivePagePath,
  type FeedFormat,
  type FeedScope,
  feedPath,
  feedViewPath,
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
import { type ActorPlanInput, outboxPageJob, planActorDocuments } from './plan-actor-documents.ts';
import { renderArchivePage } from './render-archive-page.ts';
import { renderAtom } from './render-atom.ts';
import { renderFeedPage } from './render-feed-page.ts';
import { renderFeedView } from './render-feed-view.ts';
import { renderFeedsList } from './render-feeds-list.ts';
import { renderIndexPage } from './render-index-page.ts';
import { renderJsonFeed } from './render-json-feed.ts';
import { renderOpml } from './render-opml.ts';
import { renderRss } from './render-rss.ts';
import type { SiteIcons } from './render-site-icons.ts';
import { STYLESHEET } from './site-assets.ts';

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
  /**
   * The icon files, made once per build from the config's icon; undefined for a plan that
   * never plans the site-wide documents again (replanEdited, a restored plan).
   */
  icons: SiteIcons | undefined;
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
 * A site's documents, planned: every job, and what a later plan needs to redo a few of
 * them (`replanEdited`). `build --watch` keeps one between builds.
 */
export type SitePlan = {
  jobs: DocumentJob[];
  groups: FeedGroups<ArticleCore>;
  all: FeedGroup<ArticleCore>[];
  context: PlanContext;
  siteJson: string;
  metas: string[];
  ids: ItemIds;
  markup: ItemMarkup;
  /** Job index by path. */
  index: Map<string, number>;
  /** Group index by topic slug and by provider domain (the site is group 0). */
  topicGroups: Map<string, number>;
  providerGroups: Map<string, number>;
};

/**
 * Every document of the URL table, with what each depends on: for each feed its three
 * subscription documents and its RFC 5005 archive pages in three formats, each feed's HTML
 * page and each archive page's, and the site-wide documents. Jobs come format by format, so
 * that rendering them in order keeps one format's item markup in memory at a time.
 */
export function planDocuments(groups: FeedGroups<ArticleCore>, context: PlanContext): SitePlan {
  const plan = emptyPlan(groups, context);
  const all = plan.all;
  const jobs = plan.jobs;
  // Per group: the hash of its subscription inputs, and of each archive page's items.
  const subscriptions = all.map((_, i) => subscriptionHash(plan, i));
  const pages = all.map((g, i) =>
    Array.from({ length: g.archivePages }, (_, k) => pageHash(plan, i, k + 1)),
  );
  for (const f of FORMATS) {
    for (const [i, g] of all.entries()) {
      jobs.push(...subscriptionJobs(plan, i, f, subscriptions[i] ?? ''));
      for (let page = 1; page <= g.archivePages; page++) {
        jobs.push(...archiveJobs(plan, i, page, f, pages[i]?.[page - 1] ?? ''));
      }
    }
  }
  for (const [i, g] of all.entries()) {
    if (g.scope.kind !== 'site') jobs.push(feedPageJob(plan, i, subscriptions[i] ?? ''));
    for (let page = 1; page <= g.archivePages; page++) {
      jobs.push(archivePageJob(plan, i, page, pages[i]?.[page - 1] ?? ''));
    }
  }
  for (const [i] of all.entries()) jobs.push(...planActorDocuments(actorInput(plan, i)));
  jobs.push(...siteJobs(plan));
  for (const [i, job] of jobs.entries()) plan.index.set(job.path, i);
  return plan;
}

/**
 * A plan restored from the build cache: the groups as they were planned, and the jobs as
 * they were (each with its input hash; `index` by path). Only replanEdited's replacements
 * are ever rendered: a restored job stands for a value the last build stored.
 */
export function restorePlan(
  groups: FeedGroups<ArticleCore>,
  context: PlanContext,
  jobs: DocumentJob[],
  index: Map<string, number>,
): SitePlan {
  const plan = emptyPlan(groups, context);
  plan.jobs = jobs;
  plan.index = index;
  return plan;
}

/** A plan of the groups with no jobs yet: what every job of the plan reads. */
function emptyPlan(groups: FeedGroups<ArticleCore>, context: PlanContext): SitePlan {
  const all = [groups.site, ...groups.topics, ...groups.providers];
  const plan: SitePlan = {
    jobs: [],
    groups,
    all,
    context,
    siteJson: JSON.stringify(context.site),
    metas: all.map(groupMeta),
    ids: new ItemIds(context),
    markup: new ItemMarkup(context.site, context.load),
    index: new Map(),
    topicGroups: new Map(),
    providerGroups: new Map(),
  };
  for (const [i, g] of all.entries()) {
    if (g.scope.kind === 'topic') plan.topicGroups.set(g.scope.key, i);
    if (g.scope.kind === 'provider') plan.providerGroups.set(g.scope.key, i);
  }
  return plan;
}

/** What a feed's ActivityPub documents are made from (plan-actor-documents.ts). */
function actorInput(plan: SitePlan, i: number): ActorPlanInput {
  return {
    site: plan.context.site,
    group: plan.all[i] as FeedGroup<ArticleCore>,
    pageSize: plan.context.pageSize,
    notes: (items) => plan.markup.of('note', items),
    metaHash: hash(plan.siteJson, plan.metas[i] ?? ''),
    idsOf: (items) => plan.ids.of(items),
    pageHash: (page) => pageHash(plan, i, page),
  };
}

/**
 * The plan after `edited` articles changed what they show but not where they are: the same
 * URL, date, file, provider and topics, so the same groups, in the same order (a title or an
 * excerpt corrected, the usual edit). Only the documents that list one of them get a new
 * input hash and renderer; every other job is the old plan's. `context` is the new build's
 * (its loads and content digests). Cost: the edited articles' documents, not the site.
 */
export function replanEdited(
  old: SitePlan,
  edited: readonly ArticleCore[],
  context: PlanContext,
): SitePlan {
  old.ids.moveOn(edited, context);
  const plan: SitePlan = {
    ...old,
    // A copy: jobs not replaced stay the same objects, which is how writeBuild knows them.
    jobs: [...old.jobs],
    context,
    markup: new ItemMarkup(context.site, context.load),
  };
  const { pageSize } = context;
  const redo = new Set<string>();
  for (const a of edited) {
    for (const i of groupsOf(plan, a)) {
      const g = plan.all[i];
      if (g === undefined) continue;
      const at = positionOf(g.items, a);
      if (at < 0) continue;
      if (at >= g.total - pageSize) redo.add(`${i} 0`);
      if (at < g.archivePages * pageSize) redo.add(`${i} ${Math.floor(at / pageSize) + 1}`);
    }
  }
  for (const key of redo) {
    const [i, page] = key.split(' ').map(Number) as [number, number];
    const g = plan.all[i];
    if (g === undefined) continue;
    const replace = (job: DocumentJob) => {
      const at = plan.index.get(job.path);
      if (at === undefined) throw new Error(`internal: ${job.path} is not in the plan`);
      plan.jobs[at] = job;
    };
    // The outbox page with the same items, when the feed has an actor.
    const replaceOutboxPage = (outboxPage: number | 'latest') => {
      const job = outboxPageJob(actorInput(plan, i), outboxPage);
      if (plan.index.has(job.path)) replace(job);
    };
    if (page === 0) {
      const inputs = subscriptionHash(plan, i);
      for (const f of FORMATS) subscriptionJobs(plan, i, f, inputs).forEach(replace);
      if (g.scope.kind !== 'site') replace(feedPageJob(plan, i, inputs));
      replaceOutboxPage('latest');
    } else {
      const inputs = pageHash(plan, i, page);
      for (const f of FORMATS) archiveJobs(plan, i, page, f, inputs).forEach(replace);
      replace(archivePageJob(plan, i, page, inputs));
      replaceOutboxPage(page);
    }
  }
  return plan;
}

/** The groups an article is in: the site's, its topics' (and their parents'), its provider's. */
function groupsOf(plan: SitePlan, a: ArticleCore): number[] {
  const found = new Set<number>([0]);
  const topics = plan.groups.topics;
  for (const t of a.topics) {
    let slug: string | undefined = t.slug;
    for (let depth = 0; slug !== undefined && depth < 16; depth++) {
      const i = plan.topicGroups.get(slug);
      if (i === undefined || found.has(i)) break;
      found.add(i);
      slug = topics[i - 1]?.parent;
    }
  }
  const provider = plan.providerGroups.get(a.provider.domain);
  if (provider !== undefined) found.add(provider);
  return [...found];
}

/** Where an article is in a group's items (oldest first by date, then id), or -1. */
function positionOf(items: readonly ArticleCore[], a: ArticleCore): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const m = items[mid] as ArticleCore;
    if (m.date < a.date || (m.date === a.date && m.url < a.url)) lo = mid + 1;
    else hi = mid;
  }
  return items[lo] === a ? lo : -1;
}

function subscriptionHash(plan: SitePlan, i: number): string {
  const g = plan.all[i] as FeedGroup<ArticleCore>;
  return hash(plan.siteJson, plan.metas[i] ?? '', plan.ids.of(g.articles));
}

function pageHash(plan: SitePlan, i: number, page: number): string {
  const g = plan.all[i] as FeedGroup<ArticleCore>;
  const items = archiveItems(g, page, plan.context.pageSize);
  return hash(plan.siteJson, scopeId(g.scope), String(page), plan.ids.of(items));
}

function frame(plan: SitePlan, f: Format, doc: FeedDocument, count: number): DocumentFrame {
  const site = plan.context.site;
  if (f.file === 'rss.xml') return renderRss(doc, site);
  if (f.file === 'atom.xml') return renderAtom(doc, site);
  return renderJsonFeed(doc, site, count);
}

/** A subscription document, and its HTML view for browsers (render-feed-view.ts). */
function subscriptionJobs(plan: SitePlan, i: number, f: Format, inputs: string): DocumentJob[] {
  const g = plan.all[i] as FeedGroup<ArticleCore>;
  const markup = plan.markup;
  const path = feedPath(g.scope, f.file);
  return [
    {
      path,
      type: f.type,
      updated: g.updated,
      inputHash: hash(f.file, inputs),
      render: () => {
        const doc = subscriptionDocument(g);
        return assembleDocument(
          frame(plan, f, doc, doc.articles.length),
          markup.of(f.item, doc.articles),
        );
      },
    },
    viewJob(plan, path, f, g.updated, inputs, () => subscriptionDocument(g)),
  ];
}

/** A sealed archive document, and its HTML view for browsers. */
function archiveJobs(
  plan: SitePlan,
  i: number,
  page: number,
  f: Format,
  inputs: string,
): DocumentJob[] {
  const g = plan.all[i] as FeedGroup<ArticleCore>;
  const { pageSize, site } = plan.context;
  const markup = plan.markup;
  const path = archiveFeedPath(g.scope, page, f.file);
  const updated = archiveItems(g, page, pageSize).at(-1)?.date ?? 0;
  const doc = () => archiveDocument(g, page, pageSize, site.title);
  return [
    {
      path,
      type: f.type,
      updated,
      inputHash: hash(f.file, 'archive', inputs),
      render: () => {
        const d = doc();
        return assembleDocument(
          frame(plan, f, d, d.articles.length),
          markup.of(f.item, d.articles),
        );
      },
    },
    viewJob(plan, path, f, updated, inputs, doc),
  ];
}

function viewJob(
  plan: SitePlan,
  path: string,
  f: Format,
  updated: number,
  inputs: string,
  doc: () => FeedDocument,
): DocumentJob {
  return {
    path: feedViewPath(path),
    type: 'html',
    updated,
    inputHash: hash('view', path, inputs),
    render: () => {
      const d = doc();
      return assembleDocument(
        renderFeedView(plan.context.site, d, f.file),
        plan.markup.of('html', d.articles),
      );
    },
  };
}

function feedPageJob(plan: SitePlan, i: number, inputs: string): DocumentJob {
  const g = plan.all[i] as FeedGroup<ArticleCore>;
  const { site } = plan.context;
  const markup = plan.markup;
  return {
    path: pagePath(g.scope),
    type: 'html',
    updated: g.updated,
    inputHash: hash('page', inputs),
    render: () => assembleDocument(renderFeedPage(site, g), markup.of('html', g.articles)),
  };
}

function archivePageJob(plan: SitePlan, i: number, page: number, inputs: string): DocumentJob {
  const g = plan.all[i] as FeedGroup<ArticleCore>;
  const { pageSize, site } = plan.context;
  const markup = plan.markup;
  const items = archiveItems(g, page, pageSize);
  const newest = items.at(-1)?.date ?? 0;
  // What the page shows of its feed: names, and whether a newer page exists (its "newer"
  // link moves when the next page is sealed). Not the feed's counts: a page that named them
  // would be rewritten, on every feed the article is in, by each new article.
  const meta = JSON.stringify([
    plan.siteJson,
    scopeId(g.scope),
    g.name,
    g.title,
    page < g.archivePages,
  ]);
  return {
    path: archivePagePath(g.scope, page),
    type: 'html',
    updated: newest,
    inputHash: hash('archive-page', meta, inputs),
    render: () =>
      assembleDocument(
        renderArchivePage(site, g, page, pageSize, newest),
        markup.of('html', [...items].reverse()),
      ),
  };
}

/** The site-wide documents: they depend on every group's counts and dates, not on items. */
function siteJobs(plan: SitePlan): DocumentJob[] {
  const { site } = plan.context;
  const { groups, all } = plan;
  const indexHash = hash('index', plan.siteJson, ...plan.metas);
  const updated = groups.site.updated;
  const icons = iconsOf(plan);
  return [
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
    ...icons.files.map(
      (icon): DocumentJob => ({
        path: icon.path,
        type: icon.type,
        updated,
        inputHash: hash('icon', icon.path, icons.digest, String(updated)),
        // A copy: the store writer may move (transfer) the buffers it is given.
        render: () => [Buffer.from(icon.bytes)],
      }),
    ),
  ];
}

function iconsOf(plan: SitePlan): SiteIcons {
  const { icons } = plan.context;
  if (icons === undefined) throw new Error('internal: the site documents planned without icons');
  return icons;
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
  #context: PlanContext;
  readonly #ids = new Map<ArticleCore, string>();

  constructor(context: PlanContext) {
    this.#context = context;
  }

  /**
   * Moves these ids on to the next build's context, forgetting those of `edited` (spelled
   * again when asked for): in place, as a watching rebuild must not copy 100,000 of them.
   */
  moveOn(edited: readonly ArticleCore[], context: PlanContext): void {
    this.#context = context;
    for (const a of edited) this.#ids.delete(a);
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
