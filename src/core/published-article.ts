/**
 * What grouping needs of an article: small, so the build cache can keep it for every
 * seed and an incremental build can regroup 100,000 articles without re-reading them.
 */
export type ArticleCore = {
  /** Canonical URL (`webUrl`, else `originalUrl`): id, guid and link. */
  url: string;
  /** Seed file (relative), for reports and for the tie-break between duplicates. */
  file: string;
  /** Epoch milliseconds of `publishedDateTime`. */
  date: number;
  provider: { domain: string; name: string; logo: string | undefined };
  /** Topic names as written in the seed (cleaned); slugs are resolved later. */
  topicNames: string[];
  /** Seed line of each topic name, for problems about it. */
  topicLines: number[];
  /** The article's topics, resolved to slugs (filled in by resolveTopics). */
  topics: { slug: string; name: string }[];
};

/**
 * An article after validation and text hygiene: everything the renderers need, already
 * clean, nothing they must not show. Plain data so it can cross worker threads.
 */
export type PublishedArticle = ArticleCore & {
  title: string;
  /** The excerpt as plain text (tags stripped, entities decoded). */
  summaryText: string | undefined;
  /** The excerpt as HTML when it carries markup; otherwise undefined. */
  summaryHtml: string | undefined;
  /** `featuredContent` (e.g. a video embed), sanitised. */
  featuredHtml: string | undefined;
  image: { url: string; width: number | undefined; height: number | undefined } | undefined;
  related: { title: string; url: string; providerName: string | undefined }[];
};

/** The core of an article, copied out so that a cache holds no body text. */
export function coreOf(a: ArticleCore): ArticleCore {
  return {
    url: a.url,
    file: a.file,
    date: a.date,
    provider: a.provider,
    topicNames: a.topicNames,
    topicLines: a.topicLines,
    topics: a.topics,
  };
}

/** A topic as feeds and pages show it. */
export type Topic = { slug: string; name: string; parent: string | undefined };

/** A provider as feeds and pages show it. */
export type ProviderInfo = { domain: string; name: string; logo: string | undefined };
