import type { ProviderInfo } from '../../core/published-article.ts';
import { foldTopicName, slugifyTopic } from '../../core/slugify-topic.ts';
import type { Taxonomy, TaxonomyTopic } from './load-taxonomy.ts';

/**
 * What an item shows of its provider and topics, from its own seed and the taxonomy alone
 * (never another article: RFC 5005 §4 archive pages must not change when newer articles
 * arrive). resolve-topics.ts and resolve-providers.ts both resolve with these, so the rule
 * is spelled once.
 */
export type ItemNames = {
  topics: (names: readonly string[]) => { slug: string; name: string }[];
  provider: (own: ProviderInfo) => ProviderInfo;
};

/** Topics by their folded name and id; organizations by domain. */
export function itemNames(taxonomy: Taxonomy): ItemNames {
  const listed = listedTopics(taxonomy.topics);
  const organizations = new Map(taxonomy.organizations.map((o) => [o.domain, o]));
  const spelled = new Map<string, { fold: string; slug: string }>();
  return {
    topics(names) {
      const resolved = new Map<string, string>();
      for (const name of names) {
        let s = spelled.get(name);
        if (s === undefined) {
          s = { fold: foldTopicName(name), slug: slugifyTopic(name) };
          spelled.set(name, s);
        }
        const entry = listed.get(s.fold);
        if (entry) resolved.set(taxonomySlug(entry), entry.name.trim());
        // The item keeps its own spelling (the topic's feed is named by its first claim).
        else if (s.slug !== '' && !resolved.has(s.slug)) resolved.set(s.slug, name);
      }
      return [...resolved].map(([slug, name]) => ({ slug, name }));
    },
    provider(own) {
      const org = organizations.get(own.domain);
      return { domain: own.domain, name: org?.name ?? own.name, logo: org?.logo ?? own.logo };
    },
  };
}

/** The taxonomy's topics by folded name and by folded id. */
export function listedTopics(topics: readonly TaxonomyTopic[]): Map<string, TaxonomyTopic> {
  const listed = new Map<string, TaxonomyTopic>();
  for (const t of topics) {
    listed.set(foldTopicName(t.name), t);
    listed.set(foldTopicName(t._id), t);
  }
  return listed;
}

/** A taxonomy topic's slug: its `_id`, made a slug. */
export function taxonomySlug(t: TaxonomyTopic): string {
  return slugifyTopic(t._id) || t._id;
}
