import { createHash } from 'node:crypto';
import { emptyTextStats } from '../core/clean-text.ts';
import { BUILD_RECORD_KEY } from '../core/document-paths.ts';
import type { BuildRecord, BundleEntry } from '../core/document-record.ts';
import type { BuildReport } from './build-report.ts';
import type { SiteSettings } from './feed-group.ts';
import { findSeedFiles } from './find-seed-files.ts';
import { GENERATOR } from './generator.ts';
import { groupFeeds } from './group-feeds.ts';
import { loadTaxonomy, type Taxonomy } from './load-taxonomy.ts';
import { mergeDuplicates } from './merge-duplicates.ts';
import { normalizeArticle } from './normalize-article.ts';
import type { BuildOptions } from './parse-build-args.ts';
import type { PublishedArticle } from './published-article.ts';
import { readSeed, type SeedResult } from './read-seed.ts';
import { renderDocuments } from './render-documents.ts';
import { resolveProviders } from './resolve-providers.ts';
import { resolveTopics } from './resolve-topics.ts';
import { formatProblem, type SeedProblem, sortProblems } from './seed-problem.ts';
import { readSiteConfig } from './site-config.ts';

/** Seeds read at once: enough to keep the disk busy, few enough to bound memory. */
const READ_CONCURRENCY = 64;

/**
 * seeds/ → every document of the URL table, as KV bundle entries sorted by key, plus the
 * report. Pure with respect to the clock: the same seeds and options give the same bytes.
 */
export async function compileBundle(
  options: BuildOptions,
): Promise<{ entries: BundleEntry[]; report: BuildReport; ok: boolean }> {
  const started = performance.now();
  const config = await readSiteConfig(options.configPath);
  const site: SiteSettings = { ...config, siteUrl: options.siteUrl };
  const stats = emptyTextStats();
  const problems: SeedProblem[] = [];

  const found = await findSeedFiles(options.seedsDir);
  problems.push(...found.problems);
  const results = await mapLimited(found.files, READ_CONCURRENCY, readSeed);

  let unpublished = 0;
  const rejected = new Set<string>();
  const articles: PublishedArticle[] = [];
  for (const result of results) {
    if (result.status === 'unpublished') unpublished++;
    else if (result.status === 'invalid') {
      problems.push(...result.problems);
      rejected.add(result.file);
    } else {
      stats.illegalRemoved += result.illegalRemoved;
      const article = normalizeArticle(result.file, result.article, stats, result.topicLines);
      if (article.title === '') {
        problems.push({
          file: result.file,
          line: 0,
          field: 'title',
          message: 'empty once characters XML forbids are removed',
        });
        rejected.add(result.file);
      } else articles.push(article);
    }
  }

  let taxonomy: Taxonomy = { topics: [], organizations: [] };
  if (options.taxonomyDir) {
    const loaded = await loadTaxonomy(options.taxonomyDir);
    taxonomy = loaded.taxonomy;
    problems.push(
      ...loaded.problems.map((p) => ({ ...p, file: `${options.taxonomyDir}/${p.file}` })),
    );
  }
  const topics = resolveTopics(articles, taxonomy.topics);
  problems.push(...topics.problems);
  for (const file of topics.rejected) rejected.add(file);
  const accepted = articles.filter((a) => !topics.rejected.has(a.file));

  const { articles: unique, merged } = mergeDuplicates(accepted);
  const providers = resolveProviders(unique, taxonomy.organizations);
  const groups = groupFeeds(unique, { site, pageSize: options.pageSize, topics: topics.topics });
  const docs = renderDocuments(site, groups);

  const feeds = 1 + groups.topics.length + groups.providers.length;
  const record: BuildRecord = {
    buildId: createHash('sha256')
      .update(docs.map((d) => `${d.key} ${d.metadata?.etag}`).join('\n'))
      .digest('hex')
      .slice(0, 16),
    builtAt: builtAt(groups.site.updated),
    generator: GENERATOR,
    counts: {
      articles: unique.length,
      topics: groups.topics.length,
      providers: providers.size,
      feeds,
      documents: docs.length,
    },
  };
  const entries = [...docs, { key: BUILD_RECORD_KEY, value: JSON.stringify(record) }].sort(
    (a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  const sorted = sortProblems(problems);
  const report: BuildReport = {
    filesRead: results.length,
    published: unique.length,
    unpublished,
    invalid: rejected.size,
    duplicatesMerged: merged,
    topics: groups.topics.length,
    providers: groups.providers.length,
    feeds,
    documents: docs.length,
    bytes: entries.reduce((n, e) => n + Buffer.byteLength(e.value), 0),
    milliseconds: Math.round(performance.now() - started),
    text: stats,
    rejected: [...rejected].sort(),
    problems: sorted.map(formatProblem),
  };
  return { entries, report, ok: sorted.length === 0 };
}

/** SOURCE_DATE_EPOCH (reproducible-builds.org) when set, else the newest article's date. */
function builtAt(newest: number): string {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  return new Date(Number.isFinite(epoch) && epoch > 0 ? epoch * 1000 : newest).toISOString();
}

async function mapLimited<T>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<SeedResult>,
): Promise<SeedResult[]> {
  const out: SeedResult[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      const item = items[i];
      if (item !== undefined) out[i] = await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
