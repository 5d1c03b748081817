import type { FeedGroup, SiteSettings } from '../../core/feed-group.ts';
import type { ArticleCore, ProviderInfo, Topic } from '../../core/published-article.ts';
import { compareOldestFirst, isNewerRecord } from './merge-duplicates.ts';

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
  /** Names and logos the organizations data gives, by domain. */
  organizations: ReadonlyMap<string, ProviderInfo>;
};

/**
 * Site, topic and provider groups, each with its whole history oldest first. A parent
 * topic's feed also carries its descendants' articles. A provider feed is named as the
 * organizations data says, else as its newest article says; its logo is the newest one
 * an article gives.
 */
export function groupFeeds<A extends ArticleCore>(
  articles: A[],
  options: GroupOptions,
): FeedGroups<A> {
  const { site, pageSize, topics, organizations } = options;
  const sorted = [...articles].sort(compareOldestFirst);
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
    items: A[],
    logo?: string,
    parent?: string,
  ): FeedGroup<A> => feedGroup({ scope, name, title, description, logo, parent }, items, pageSize);

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
      const { name, logo } = providerFace(domain, list, organizations.get(domain));
      return make(
        { kind: 'provider', key: domain },
        name,
        `${name} — ${site.title}`,
        `Articles from ${name} (${domain}), as collected by ${site.title}.`,
        list,
        logo,
      );
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en') || (a.title < b.title ? -1 : 1));

  return {
    site: make({ kind: 'site' }, site.title, site.title, site.description, sorted),
    topics: topicGroups,
    providers: providerGroups,
  };
}

/**
 * A provider's name and logo as its feeds show them: the organizations data when it lists
 * the domain, else the newest article's name and the newest logo any article gives.
 */
export function providerFace(
  domain: string,
  items: readonly ArticleCore[],
  organization: ProviderInfo | undefined,
): { name: string; logo: string | undefined } {
  let newest: ArticleCore | undefined;
  let newestWithLogo: ArticleCore | undefined;
  for (const a of items) {
    if (isNewerRecord(a, newest)) newest = a;
    if (a.provider.logo && isNewerRecord(a, newestWithLogo)) newestWithLogo = a;
  }
  return {
    name: organization?.name ?? newest?.provider.name ?? domain,
    logo: organization?.logo ?? newestWithLogo?.provider.logo,
  };
}

/** What a feed says about itself besides its items (groupFeeds makes them). */
export type FeedWords = Pick<
  FeedGroup,
  'scope' | 'name' | 'title' | 'description' | 'logo' | 'parent'
>;

/**
 * A feed from its words and its items, oldest first: the one place the newest page, the
 * counts and the date are derived (a restored build cache makes its groups here too).
 */
export function feedGroup<A extends ArticleCore>(
  words: FeedWords,
  items: A[],
  pageSize: number,
): FeedGroup<A> {
  return {
    scope: words.scope,
    name: words.name,
    title: words.title,
    description: words.description,
    items,
    articles: items.slice(-pageSize).reverse(),
    total: items.length,
    // RFC 5005 §4: only whole pages are archived, and a feed that fits in its subscription
    // document is complete (fh:complete) and has none.
    archivePages: items.length > pageSize ? Math.floor(items.length / pageSize) : 0,
    updated: items.at(-1)?.date ?? 0,
    logo: words.logo,
    parent: words.parent,
  };
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
