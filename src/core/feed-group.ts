import type { FeedScope } from './document-paths.ts';
import type { ArticleCore, PublishedArticle } from './published-article.ts';

/** The site's own settings (edgefeed.config.json plus the build flags that shape output). */
export type SiteSettings = {
  title: string;
  description: string;
  language: string;
  /** Base URL without a trailing slash. */
  siteUrl: string;
  /** The WebSub hub subscription documents advertise (W3C WebSub §4). */
  hubUrl: string;
  /** How often readers should poll, in seconds (the worker's FEED_MAX_AGE). */
  pollSeconds: number;
};

/**
 * One feed: its scope, its words, and its whole history. `items` is every article of the
 * feed oldest first by (date, id), the order RFC 5005 archive pages are cut from; `articles`
 * is what the subscription document shows, the newest `pageSize` of them, newest first.
 */
export type FeedGroup<A extends ArticleCore = PublishedArticle> = {
  scope: FeedScope;
  /** Display name of the topic or provider; the site title for the site feed. */
  name: string;
  title: string;
  description: string;
  /** Every article, oldest first. */
  items: A[];
  /** The newest `pageSize` articles, newest first. */
  articles: A[];
  /** How many articles belong to the feed in all. */
  total: number;
  /** Sealed archive pages (RFC 5005 §4): whole pages of `pageSize`, only once total > pageSize. */
  archivePages: number;
  /** Epoch ms of the newest article (0 for an empty site). */
  updated: number;
  /** Provider logo for provider feeds. */
  logo: string | undefined;
  /** Parent topic slug, for nesting on the index. */
  parent: string | undefined;
};

/** Absolute URL of a path on the site. */
export function siteLink(site: SiteSettings, path: string): string {
  return `${site.siteUrl}${path}`;
}

/** A feed's words, counts and dates without item bodies: enough for indexes and lists. */
export type FeedSummary = FeedGroup<ArticleCore>;
