import type { FeedScope } from '../../core/document-paths.ts';
import type { FeedGroup } from '../../core/feed-group.ts';
import type { ArticleCore } from '../../core/published-article.ts';

/**
 * Where a document sits in its feed's history (RFC 5005 §4): the subscription document
 * (the newest items; `complete` when it holds all of them, else `archivePages` sealed pages
 * behind it), or sealed archive page `page` (1 = oldest).
 */
export type FeedPaging =
  | { kind: 'subscription'; archivePages: number; complete: boolean }
  | { kind: 'archive'; page: number };

/** One feed document to render, in whichever format: its words, its items, its place. */
export type FeedDocument<A extends ArticleCore = ArticleCore> = {
  scope: FeedScope;
  name: string;
  title: string;
  description: string;
  logo: string | undefined;
  /** Epoch ms of the newest item shown (feed-level updated, Last-Modified). */
  updated: number;
  /** Newest first. */
  articles: A[];
  paging: FeedPaging;
};

/** The subscription document of a feed: its newest items. */
export function subscriptionDocument<A extends ArticleCore>(group: FeedGroup<A>): FeedDocument<A> {
  return {
    scope: group.scope,
    name: group.name,
    title: group.title,
    description: group.description,
    logo: group.logo,
    updated: group.updated,
    articles: group.articles,
    paging: {
      kind: 'subscription',
      archivePages: group.archivePages,
      complete: group.archivePages === 0,
    },
  };
}

/** The items of archive page `page` (1 = oldest), oldest first: items (k−1)·N … k·N−1. */
export function archiveItems<A extends ArticleCore>(
  group: FeedGroup<A>,
  page: number,
  pageSize: number,
): A[] {
  return group.items.slice((page - 1) * pageSize, page * pageSize);
}

/**
 * Sealed archive page `page`. Its bytes may depend on nothing but its own items and the
 * site settings (RFC 5005 §4.1: archive documents do not change), so the feed's name and
 * logo are taken from the page's own items — the taxonomy's names and the items' own
 * spellings — never from the feed's newest article, and no link points at a newer page.
 */
export function archiveDocument<A extends ArticleCore>(
  group: FeedGroup<A>,
  page: number,
  pageSize: number,
  siteTitle: string,
): FeedDocument<A> {
  const items = archiveItems(group, page, pageSize);
  const newestFirst = [...items].reverse();
  const name = pageName(group, newestFirst);
  const logo =
    group.scope.kind === 'provider'
      ? newestFirst.find((a) => a.provider.logo !== undefined)?.provider.logo
      : undefined;
  const title = group.scope.kind === 'site' ? siteTitle : `${name} — ${siteTitle}`;
  return {
    scope: group.scope,
    name,
    title,
    description: `Archive page ${page} of ${title}: ${items.length} items, newest first; older pages are linked.`,
    logo,
    updated: newestFirst[0]?.date ?? 0,
    articles: newestFirst,
    paging: { kind: 'archive', page },
  };
}

/** The feed's name as the page's newest item spells it (topic or provider), else the group's. */
function pageName<A extends ArticleCore>(group: FeedGroup<A>, newestFirst: A[]): string {
  const scope = group.scope;
  if (scope.kind === 'provider') return newestFirst[0]?.provider.name ?? group.name;
  if (scope.kind === 'topic') {
    for (const a of newestFirst) {
      const own = a.topics.find((t) => t.slug === scope.key);
      if (own) return own.name;
    }
  }
  // The site, or a parent topic whose items all come from its children: the name is the
  // site config's or the taxonomy's, both site settings.
  return group.name;
}
