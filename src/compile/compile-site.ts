import { join, resolve } from 'node:path';
import { emptyTextStats, type TextStats } from '../core/clean-text.ts';
import type { SiteSettings } from '../core/feed-group.ts';
import { type ArticleCore, coreOf, type PublishedArticle } from '../core/published-article.ts';
import { formatProblem, type SeedProblem, sortProblems } from '../core/seed-problem.ts';
import type { BuildReport } from './build-report.ts';
import type { BuildState, CachedSeed, SeedRecords } from './cache/build-cache.ts';
import { type CacheKeyParts, digestOf } from './cache/cache-key.ts';
import type { BuildOptions } from './parse-build-args.ts';
import { phaseTimer } from './phase-timer.ts';
import { GENERATOR } from './render/generator.ts';
import {
  type DocumentJob,
  type PlanContext,
  planDocuments,
  type SitePlan,
} from './render/plan-documents.ts';
import { renderSiteIcons, type SiteIcons, siteIconDigest } from './render/render-site-icons.ts';
import { type FoundSeeds, findSeedFiles, type SeedFile } from './seeds/find-seed-files.ts';
import {
  type ParserThreads,
  parserThreshold,
  parseSeeds,
  startParsers,
} from './seeds/parse-seeds.ts';
import { processSeed } from './seeds/process-seed.ts';
import { groupFeeds } from './site/group-feeds.ts';
import { loadTaxonomy, type Taxonomy } from './site/load-taxonomy.ts';
import { mergeDuplicates } from './site/merge-duplicates.ts';
import { readPollSeconds } from './site/poll-interval.ts';
import { readSiteIcon } from './site/read-site-icon.ts';
import { resolveProviders } from './site/resolve-providers.ts';
import { resolveTopics } from './site/resolve-topics.ts';
import { readSiteConfig } from './site/site-config.ts';
import type { BuildFacts } from './store/assemble-build.ts';

/** The inputs besides seeds that shape the output; they make up the cache key. */
export type SiteInputs = {
  site: SiteSettings;
  taxonomy: Taxonomy;
  taxonomyProblems: SeedProblem[];
  /** What the site icons are made from (a digest), known without making them. */
  iconDigest: string;
  /**
   * Every site icon, made from the config's `icon` (or ours) when first asked for: a rebuild
   * that renders no icon (a restored site after an edit) does not pay the ~0.15 s of sharp.
   */
  icons: () => Promise<SiteIcons>;
  /** What was wrong with the config's icon: the build stops, or uses ours (--skip-invalid). */
  iconProblems: SeedProblem[];
};

export async function loadSiteInputs(options: BuildOptions): Promise<SiteInputs> {
  const { icon, ...config } = await readSiteConfig(options.configPath);
  const source = await readSiteIcon(options.configPath, icon, options.skipInvalid);
  const icons = () => renderSiteIcons(source);
  const iconDigest = siteIconDigest(source);
  const iconProblems = source.problems;
  const site: SiteSettings = {
    ...config,
    siteUrl: options.siteUrl,
    hubUrl: options.hubUrl ?? `${options.siteUrl}/hub`,
    pollSeconds: readPollSeconds(options.wranglerConfig ?? 'wrangler.toml'),
  };
  if (!options.taxonomyDir)
    return {
      site,
      taxonomy: { topics: [], organizations: [] },
      taxonomyProblems: [],
      iconDigest,
      icons,
      iconProblems,
    };
  const loaded = await loadTaxonomy(options.taxonomyDir);
  const taxonomyProblems = loaded.problems.map((p) => ({
    ...p,
    file: `${options.taxonomyDir}/${p.file}`,
  }));
  return { site, taxonomy: loaded.taxonomy, taxonomyProblems, iconDigest, icons, iconProblems };
}

/**
 * What the cache key is made of, for a build with these options and inputs: never the out
 * folder, so a cache restored alone (a CI job that keeps only it) still serves.
 */
export function cacheInputs(
  options: BuildOptions,
  inputs: SiteInputs,
): Omit<CacheKeyParts, 'version'> {
  const { siteUrl, hubUrl, ...config } = inputs.site;
  return {
    siteUrl,
    hubUrl,
    pageSize: String(options.pageSize),
    seeds: resolve(options.seedsDir),
    config: JSON.stringify(config),
    taxonomy: digestOf(inputs.taxonomy),
    icon: inputs.iconDigest,
  };
}

/** The seed list as a watching build keeps it, and the seeds events said changed. */
export type KnownSeeds = { found: FoundSeeds; changed: { has(name: string): boolean } };

export type CompiledSite = {
  /** The seed files this build read or reused (kept by --watch between builds). */
  found: FoundSeeds;
  /** Every document, in rendering order (format by format). */
  sources: DocumentJob[];
  /** The plan the sources come from, for a watching build to replan edits with. */
  plan: SitePlan;
  /** What the build record says besides its documents. */
  facts: BuildFacts;
  seeds: SeedRecords;
  counts: Pick<
    BuildReport,
    | 'filesRead'
    | 'published'
    | 'unpublished'
    | 'invalid'
    | 'duplicatesMerged'
    | 'topics'
    | 'providers'
    | 'feeds'
  >;
  text: TextStats;
  rejected: string[];
  problems: string[];
  /** Seeds actually read and parsed this run (the rest came from the cache). */
  parsed: number;
  /** Epoch ms of the newest item of the site feed's sealed archive pages (-Infinity: none). */
  sealedThrough: number;
  /**
   * Each seed that changed, as the last build and this one cached it, when the build knows
   * them without comparing every seed (a rebuild after edits); otherwise undefined.
   */
  seedChanges?: SeedChange[];
  /** Articles a rebuild after edits read from disk, kept for the next one (recompileEdits). */
  rereads?: Map<string, PublishedArticle>;
};

/** A seed as the last build cached it and as this one does (undefined: not there). */
export type SeedChange = { before: CachedSeed | undefined; after: CachedSeed | undefined };

/**
 * seeds → every document of the URL table, planned but not yet rendered. Seeds whose
 * signature the cache knows are not read; documents are rendered by whoever consumes the
 * sources, and only when their input hash is new.
 */
export async function compileSite(
  options: BuildOptions,
  inputs: SiteInputs,
  prior: BuildState,
  known?: KnownSeeds,
): Promise<CompiledSite> {
  const { site, taxonomy } = inputs;
  const lap = phaseTimer();
  const problems: SeedProblem[] = [...inputs.taxonomyProblems, ...inputs.iconProblems];
  // A cold build of a big folder will parse in threads: start them while still listing.
  let early: ParserThreads | undefined;
  const found =
    known?.found ??
    (await findSeedFiles(options.seedsDir, (listed) => {
      if (!early && prior.seeds.size === 0 && listed >= parserThreshold()) early = startParsers();
    }));
  problems.push(...found.problems);
  lap('find seeds');
  // Under --watch, seeds no file-system event named are taken as unchanged without a stat.
  const trusted = known ? (file: string) => !known.changed.has(file) : () => false;
  const outcomes = await parseSeeds(
    found.files,
    (file) => prior.seeds.get(file)?.signature,
    trusted,
    early,
  );
  lap('read and parse seeds');

  const seeds = new Map<string, CachedSeed>();
  const fresh = new Map<string, PublishedArticle>();
  const cores: ArticleCore[] = [];
  const text = emptyTextStats();
  const rejected = new Set<string>();
  let unpublished = 0;
  let parsed = 0;
  for (const outcome of outcomes) {
    let record: CachedSeed | undefined;
    if (outcome.status === 'reused') record = prior.seeds.get(outcome.file);
    else {
      parsed++;
      const { signature } = outcome;
      if (outcome.status === 'valid') {
        fresh.set(outcome.file, outcome.article);
        // The cache keeps the seed's own core; grouping works on copies, because topic and
        // provider resolution rewrite them from the whole site (a provider's name is its
        // newest article's, which can change when another seed is edited or deleted).
        record = {
          signature,
          status: 'valid',
          core: coreOf(outcome.article),
          text: outcome.text,
          content: outcome.content,
        };
      } else if (outcome.status === 'unpublished') record = { signature, status: 'unpublished' };
      else record = { signature, status: 'invalid', problems: outcome.problems };
    }
    if (!record) throw new Error(`internal: no cached record for ${outcome.file}`);
    seeds.set(outcome.file, record);
    if (record.status === 'unpublished') unpublished++;
    else if (record.status === 'invalid') {
      problems.push(...record.problems);
      rejected.add(outcome.file);
    } else {
      cores.push(coreOf(record.core));
      text.mojibakeRepaired += record.text.mojibakeRepaired;
      text.illegalRemoved += record.text.illegalRemoved;
    }
  }

  lap('collect seed records');
  const topics = resolveTopics(cores, taxonomy.topics);
  lap('resolve topics');
  problems.push(...topics.problems);
  for (const file of topics.rejected) rejected.add(file);
  const accepted = cores.filter((a) => !topics.rejected.has(a.file));
  const { articles: unique, merged } = mergeDuplicates(accepted);
  const organizations = resolveProviders(unique, taxonomy.organizations);
  const groups = groupFeeds(unique, {
    site,
    pageSize: options.pageSize,
    topics: topics.topics,
    organizations,
  });
  lap('merge, resolve providers, group');
  const icons = await inputs.icons();
  const plan = planDocuments(groups, planContext(options, site, icons, seeds, fresh));
  const sources = plan.jobs;

  lap('plan documents');
  const feeds = 1 + groups.topics.length + groups.providers.length;
  const counts = {
    filesRead: outcomes.length,
    published: unique.length,
    unpublished,
    invalid: rejected.size,
    duplicatesMerged: merged,
    topics: groups.topics.length,
    providers: groups.providers.length,
    feeds,
  };
  const archivePages = [groups.site, ...groups.topics, ...groups.providers].reduce(
    (sum, g) => sum + g.archivePages,
    0,
  );
  const facts: BuildFacts = {
    builtAt: builtAt(groups.site.updated),
    generator: GENERATOR,
    siteUrl: site.siteUrl,
    hubUrl: site.hubUrl,
    counts: {
      articles: unique.length,
      topics: groups.topics.length,
      providers: groups.providers.length,
      feeds,
      documents: sources.length,
      archivePages,
    },
  };
  const sorted = sortProblems(problems);
  return {
    found,
    sources,
    plan,
    facts,
    seeds,
    counts,
    text,
    rejected: [...rejected].sort(),
    problems: sorted.map(formatProblem),
    parsed,
    sealedThrough:
      groups.site.items[groups.site.archivePages * options.pageSize - 1]?.date ?? -Infinity,
  };
}

/**
 * What planning needs of this build: the site settings, each seed's content digest, and a
 * way to the full article of a core (this build's reading of the seed, else a read from
 * disk when the cache had only its core). An article is shown as the site resolved it (its
 * core's provider and topics); each published core is one article's, so its body takes
 * them over in place. `rereads`, when given, keeps what was read from disk for the next
 * build to use (a watching build's: edits come in `fresh`, so nothing kept goes stale).
 */
export function planContext(
  options: BuildOptions,
  site: SiteSettings,
  icons: SiteIcons | undefined,
  seeds: ReadonlyMap<string, CachedSeed>,
  fresh: ReadonlyMap<string, PublishedArticle>,
  rereads?: Map<string, PublishedArticle>,
): PlanContext {
  return {
    site,
    icons,
    pageSize: options.pageSize,
    load: (core) => {
      let article = fresh.get(core.file) ?? rereads?.get(core.file);
      if (article === undefined) {
        // A seed's name is its path under the seeds folder (findSeedFiles).
        article = reread({ path: join(options.seedsDir, core.file), name: core.file });
        rereads?.set(core.file, article);
      }
      article.provider = core.provider;
      article.topics = core.topics;
      return article;
    },
    contentOf: (file) => {
      const seed = seeds.get(file);
      return seed?.status === 'valid' ? seed.content : '';
    },
  };
}

/** A seed the cache had only the core of, read again because a document shows it. */
function reread(seed: SeedFile): PublishedArticle {
  const outcome = processSeed(seed);
  if (outcome.status !== 'valid')
    throw new Error(`${seed.name} changed while the build was running; build again`);
  return outcome.article;
}

/** SOURCE_DATE_EPOCH (reproducible-builds.org) when set, else the newest article's date. */
function builtAt(newest: number): string {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  return new Date(Number.isFinite(epoch) && epoch > 0 ? epoch * 1000 : newest).toISOString();
}

/** `build-report.json` for a compiled site and what writing it cost. */
export function reportOf(
  compiled: CompiledSite,
  documents: number,
  bytes: number,
  started: number,
): BuildReport {
  return {
    ...compiled.counts,
    documents,
    bytes,
    milliseconds: Math.round(performance.now() - started),
    text: compiled.text,
    rejected: compiled.rejected,
    problems: compiled.problems,
    archives: { pages: compiled.facts.counts.archivePages, changed: undefined },
  };
}
