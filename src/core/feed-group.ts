import type { FeedScope } from './document-paths.ts';
import type { ArticleCore, PublishedArticle } from './published-article.ts';

/** The site's own settings (edgefeed.config.json plus --site-url). */
export type SiteSettings = {
  title: string;
  description: string;
  language: string;
  /** Base URL without a trailing slash. */
  siteUrl: string;
};

/** One feed: its scope, its words, and its newest articles, newest first. */
export type FeedGroup<A extends ArticleCore = PublishedArticle> = {
  scope: FeedScope;
  /** Display name of the topic or provider; the site title for the site feed. */
  name: string;
  title: string;
  description: string;
  /** Newest first, at most the page size. */
  articles: A[];
  /** How many articles belong to the feed in all. */
  total: number;
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
