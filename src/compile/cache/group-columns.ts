import type { FeedGroup } from '../../core/feed-group.ts';
import type { ArticleCore } from '../../core/published-article.ts';
import { type FeedGroups, type FeedWords, feedGroup } from '../site/group-feeds.ts';
import type { SeedTable } from './seed-table.ts';
import { type Section, StateFileError, takeSection } from './state-file.ts';

/** What the columns of a site's groups refer to, kept in the state file's header. */
export type GroupTables = {
  /** Providers as the groups' articles show them (resolved), `[domain, name, logo]`. */
  providers: [string, string, string | null][];
  /** Topics as articles show them, `[slug, name]`. */
  topics: [string, string][];
  /** The distinct lists of topics articles have, as indices into `topics`. */
  topicLists: number[][];
  /** Each feed's words, site first, then topics, then providers (groupFeeds' order). */
  words: FeedWords[];
  topicCount: number;
};

/**
 * A site's feed groups as columns: each feed's items as indices into the seed table, and
 * each listed article's resolved provider and topics, so a new process restores the
 * grouped site without resolving, merging, sorting or grouping 100,000 articles again.
 */
export function putGroups(
  sections: Map<string, Section>,
  groups: FeedGroups<ArticleCore>,
  seedIndex: ReadonlyMap<string, number>,
): GroupTables {
  const all = [groups.site, ...groups.topics, ...groups.providers];
  const n = seedIndex.size;
  const providerOf = new Int32Array(n).fill(-1);
  const topicListOf = new Int32Array(n).fill(-1);
  const tables: GroupTables = {
    providers: [],
    topics: [],
    topicLists: [],
    words: all.map(wordsOf),
    topicCount: groups.topics.length,
  };
  const providers = new Map<object, number>();
  const topics = new Map<object, number>();
  const lists = new Map<string, number>();
  // Every listed article is in the site feed.
  for (const core of groups.site.items) {
    const i = indexOf(seedIndex, core);
    let p = providers.get(core.provider);
    if (p === undefined) {
      p = tables.providers.length;
      tables.providers.push([core.provider.domain, core.provider.name, core.provider.logo ?? null]);
      providers.set(core.provider, p);
    }
    providerOf[i] = p;
    const list = core.topics.map((t) => {
      let k = topics.get(t);
      if (k === undefined) {
        k = tables.topics.length;
        tables.topics.push([t.slug, t.name]);
        topics.set(t, k);
      }
      return k;
    });
    const key = list.join(',');
    let l = lists.get(key);
    if (l === undefined) {
      l = tables.topicLists.length;
      tables.topicLists.push(list);
      lists.set(key, l);
    }
    topicListOf[i] = l;
  }
  const starts = new Int32Array(all.length + 1);
  const items = new Int32Array(all.reduce((sum, g) => sum + g.items.length, 0));
  let at = 0;
  for (const [g, group] of all.entries()) {
    starts[g] = at;
    for (const core of group.items) items[at++] = indexOf(seedIndex, core);
  }
  starts[all.length] = at;
  sections.set('cores.provider', providerOf);
  sections.set('cores.topicList', topicListOf);
  sections.set('groups.starts', starts);
  sections.set('groups.items', items);
  return tables;
}

/** The groups `putGroups` wrote, over the seed table restored with them. */
export function takeGroups(
  sections: ReadonlyMap<string, Section>,
  tables: GroupTables,
  seeds: SeedTable,
  pageSize: number,
): FeedGroups<ArticleCore> {
  const providerOf = takeSection(sections, 'cores.provider', 'i32');
  const topicListOf = takeSection(sections, 'cores.topicList', 'i32');
  const starts = takeSection(sections, 'groups.starts', 'i32');
  const items = takeSection(sections, 'groups.items', 'i32');
  const providers = tables.providers.map(([domain, name, logo]) => ({
    domain,
    name,
    logo: logo ?? undefined,
  }));
  const topics = tables.topics.map(([slug, name]) => ({ slug, name }));
  // Articles with the same topics share one list (a few thousand lists, not 100,000).
  const topicLists = tables.topicLists.map((list) =>
    list.map((k) => {
      const topic = topics[k];
      if (topic === undefined) throw new StateFileError('an article names an unknown topic');
      return topic;
    }),
  );
  // The resolved cores, one per listed article, shared by every group that lists it. They
  // carry what planning and rendering read; the topic names and lines as written are the
  // seed record's (used only when grouping, which a restored site does not do).
  const cores: (ArticleCore | undefined)[] = new Array(seeds.size);
  const coreAt = (i: number): ArticleCore => {
    let core = cores[i];
    if (core !== undefined) return core;
    const provider = providers[providerOf[i] ?? -1];
    const list = topicLists[topicListOf[i] ?? -1];
    if (!seeds.isValidAt(i) || provider === undefined || list === undefined)
      throw new StateFileError('a group lists a seed that is not a valid article');
    core = {
      url: seeds.urlAt(i),
      file: seeds.names[i] as string,
      date: seeds.dateAt(i),
      provider,
      topicNames: NONE,
      topicLines: NO_LINES,
      topics: list,
    };
    cores[i] = core;
    return core;
  };
  const all: FeedGroup<ArticleCore>[] = tables.words.map((words, g) => {
    const list: ArticleCore[] = new Array((starts[g + 1] ?? 0) - (starts[g] ?? 0));
    for (let k = 0; k < list.length; k++) list[k] = coreAt(items[(starts[g] ?? 0) + k] ?? -1);
    return feedGroup(words, list, pageSize);
  });
  const [site, ...rest] = all;
  if (site === undefined) throw new StateFileError('no site group');
  return {
    site,
    topics: rest.slice(0, tables.topicCount),
    providers: rest.slice(tables.topicCount),
  };
}

const NONE: string[] = [];
const NO_LINES: number[] = [];

function wordsOf(g: FeedGroup<ArticleCore>): FeedWords {
  return {
    scope: g.scope,
    name: g.name,
    title: g.title,
    description: g.description,
    logo: g.logo,
    parent: g.parent,
  };
}

function indexOf(seedIndex: ReadonlyMap<string, number>, core: ArticleCore): number {
  const i = seedIndex.get(core.file);
  if (i === undefined) throw new Error(`internal: ${core.file} is listed but not a seed`);
  return i;
}
