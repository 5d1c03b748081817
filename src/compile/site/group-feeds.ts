import type { FeedGroup, SiteSettings } from '../../core/feed-group.ts';
import type { ArticleCore, Topic } from '../../core/published-article.ts';
import { compareNewestFirst } from './merge-duplicates.ts';

/** The site feed and every topic and provider feed. */
export type FeedGroups<A extends ArticleCore> = {
  site: FeedGroup<A>;
  topics: FeedGroup<A>[];
  providers: FeedGroup<A>[];
};

export type GroupOptions = {
  site: SiteSettings;
  pageSize: number;
  topics: Map<string, Topic>;
};

/**
 * Site, topic and provider groups. A parent topic's feed also carries its descendants'
 * articles. Provider names and logos were settled by resolveProviders.
 */
export function groupFeeds<A extends ArticleCore>(
  articles: A[],
  options: GroupOptions,
): FeedGroups<A> {
  const { site, pageSize, topics } = options;
  const sorted = [...articles].sort(compareNewestFirst);
  const byTopic = new Map<string, A[]>();
  const byProvider = new Map<string, A[]>();
  const targets = new Set<string>(); // one set, cleared per article: 100k of them otherwise
  for (const a of sorted) {
    targets.clear();
    for (const t of a.topics) {
      let slug: string | undefined = t.slug;
      for (let depth = 0; slug && depth < 16 && !targets.has(slug); depth++) {
        targets.add(slug);
        slug = topics.get(slug)?.parent;
      }
    }
    for (const slug of targets) push(byTopic, slug, a);
    push(byProvider, a.provider.domain, a);
  }

  const make = (
    scope: FeedGroup['scope'],
    name: string,
    title: string,
    description: string,
    list: A[],
    logo?: string,
    parent?: string,
  ): FeedGroup<A> => ({
    scope,
    name,
    title,
    description,
    articles: list.slice(0, pageSize),
    total: list.length,
    updated: list[0]?.date ?? 0,
    logo,
    parent,
  });

  const topicGroups = [...byTopic]
    .map(([slug, list]) => {
      const topic = topics.get(slug) ?? { slug, name: slug, parent: undefined };
      return make(
        { kind: 'topic', key: slug },
        topic.name,
        `${topic.name} — ${site.title}`,
        `The latest on ${topic.name}, from ${site.title}.`,
        list,
        undefined,
        topic.parent,
      );
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en') || (a.title < b.title ? -1 : 1));

  const providerGroups = [...byProvider]
    .map(([domain, list]) => {
      const newest = list[0];
      const name = newest?.provider.name ?? domain;
      return make(
        { kind: 'provider', key: domain },
        name,
        `${name} — ${site.title}`,
        `Articles from ${name} (${domain}), as collected by ${site.title}.`,
        list,
        newest?.provider.logo,
      );
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en') || (a.title < b.title ? -1 : 1));

  return {
    site: make({ kind: 'site' }, site.title, site.title, site.description, sorted),
    topics: topicGroups,
    providers: providerGroups,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
