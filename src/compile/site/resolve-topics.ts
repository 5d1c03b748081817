import type { ArticleCore, Topic } from '../../core/published-article.ts';
import type { SeedProblem } from '../../core/seed-problem.ts';
import { foldTopicName, slugifyTopic } from '../../core/slugify-topic.ts';
import { itemNames, listedTopics, taxonomySlug } from './item-names.ts';
import type { TaxonomyTopic } from './load-taxonomy.ts';

/** A topic's slug, URL-encoded, stays well inside KV's 512-byte keys (DESIGN.md). */
export const MAX_SLUG_CHARS = 200;

type Claim = { slug: string; name: string; fold: string; file: string };

/**
 * Gives every topic name its slug: the taxonomy's `_id` when the name (or id) is listed
 * there, else `slugifyTopic(name)`. Names that fold to the same text are one topic; two
 * different names that would share a slug are an error naming both files. Articles are
 * visited in file order, so the first claim of a slug, which names the topic's feed, is
 * stable across builds; each item keeps its own spelling.
 */
export function resolveTopics(
  articles: ArticleCore[],
  taxonomy: TaxonomyTopic[],
): { topics: Map<string, Topic>; problems: SeedProblem[]; rejected: Set<string> } {
  const listed = listedTopics(taxonomy);
  const topics = new Map<string, Topic>();
  for (const t of taxonomy) {
    const slug = taxonomySlug(t);
    topics.set(slug, { slug, name: t.name.trim(), parent: undefined });
  }
  for (const t of taxonomy) {
    const parent = t.parent ? listed.get(foldTopicName(t.parent)) : undefined;
    const own = topics.get(taxonomySlug(t));
    if (own && parent && parent !== t) own.parent = taxonomySlug(parent);
  }
  const names = itemNames({ topics: taxonomy, organizations: [] });

  const claims = new Map<string, Claim>();
  const problems: SeedProblem[] = [];
  const rejected = new Set<string>();
  const used = new Set<string>();
  // A site has hundreds of topic names and up to a million mentions: fold and slug once.
  const spelled = new Map<string, { fold: string; slug: string }>();
  const spell = (name: string) => {
    let s = spelled.get(name);
    if (!s) {
      s = { fold: foldTopicName(name), slug: slugifyTopic(name) };
      spelled.set(name, s);
    }
    return s;
  };
  // An article's resolved topics are shared objects, one per slug and name: 100,000
  // articles mention a few hundred, and a rebuild under --watch resolves them all again.
  const shared = new Map<string, Map<string, { slug: string; name: string }>>();
  const topicOf = (slug: string, name: string) => {
    let names = shared.get(slug);
    if (!names) {
      names = new Map();
      shared.set(slug, names);
    }
    let t = names.get(name);
    if (!t) {
      t = { slug, name };
      names.set(name, t);
    }
    return t;
  };
  // File order makes the first claim of a slug stable; the seed walk lists files in that
  // order already, so sorting is only needed when they come otherwise.
  for (const article of inFileOrder(articles)) {
    const own = article.topicNames;
    for (let index = 0; index < own.length; index++) {
      const name = own[index] as string;
      const { fold, slug } = spell(name);
      if (listed.has(fold)) continue;
      const problem = slugProblem(name, slug, claims.get(slug), fold);
      if (problem) {
        problems.push({
          file: article.file,
          line: article.topicLines[index] ?? 1,
          field: `topics.${index}`,
          message: problem,
        });
        rejected.add(article.file);
        continue;
      }
      if (!claims.has(slug)) claims.set(slug, { slug, name, fold, file: article.file });
    }
    // The item shows each name as its own seed spells it, or as the taxonomy does
    // (item-names.ts); the topic's feed is named by its first claim.
    article.topics = names.topics(own).map((t) => topicOf(t.slug, t.name));
  }
  for (const article of articles) {
    if (rejected.has(article.file)) continue;
    for (const t of article.topics) {
      used.add(t.slug);
      if (!topics.has(t.slug)) {
        const name = claims.get(t.slug)?.name ?? t.name;
        topics.set(t.slug, { slug: t.slug, name, parent: undefined });
      }
    }
  }
  // Only topics that hold articles (themselves or through children) get feeds.
  for (const slug of [...topics.keys()]) {
    if (!used.has(slug) && !hasUsedDescendant(slug, topics, used)) topics.delete(slug);
  }
  return { topics, problems, rejected };
}

/** Why a topic name cannot have its own slug, or undefined when it can. */
function slugProblem(
  name: string,
  slug: string,
  claim: Claim | undefined,
  fold: string,
): string | undefined {
  if (slug === '')
    return `topic ${JSON.stringify(name)} has no letters or digits to make a slug from`;
  if (encodeURIComponent(slug).length > MAX_SLUG_CHARS)
    return `topic ${JSON.stringify(name.slice(0, 40))} makes a slug longer than ${MAX_SLUG_CHARS} characters in a URL`;
  if (claim && claim.fold !== fold)
    return `topic ${JSON.stringify(name)} would share the slug "${slug}" with ${JSON.stringify(claim.name)} in ${claim.file}; add a taxonomy entry (--taxonomy) that names one of them, or rename it`;
  return undefined;
}

function hasUsedDescendant(slug: string, topics: Map<string, Topic>, used: Set<string>): boolean {
  for (const t of topics.values()) {
    let p = t.parent;
    for (let depth = 0; p && depth < 16; depth++) {
      if (p === slug && used.has(t.slug)) return true;
      p = topics.get(p)?.parent;
    }
  }
  return false;
}

function inFileOrder<A extends ArticleCore>(articles: A[]): A[] {
  const sorted = articles.every((a, i) => i === 0 || (articles[i - 1]?.file ?? '') <= a.file);
  return sorted
    ? articles
    : [...articles].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
}
