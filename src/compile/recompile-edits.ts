import type { ArticleCore, PublishedArticle } from '../core/published-article.ts';
import { coreOf } from '../core/published-article.ts';
import type { BuildState, CachedSeed } from './cache/build-cache.ts';
import {
  type CompiledSite,
  type KnownSeeds,
  planContext,
  type SeedChange,
  type SiteInputs,
} from './compile-site.ts';
import type { BuildOptions } from './parse-build-args.ts';
import { replanEdited } from './render/plan-documents.ts';
import type { SeedFile } from './seeds/find-seed-files.ts';
import { processSeed } from './seeds/process-seed.ts';

type ValidSeed = Extract<CachedSeed, { status: 'valid' }>;

/** Articles read from disk that a watching build keeps between rebuilds, at most. */
const MAX_REREADS = 20_000;

/**
 * A watching build after seeds were edited in place, the usual edit (a title or an excerpt
 * corrected): when every seed events named was valid before and is now, with the same URL,
 * date, provider and topics, nothing about the site's feeds moves — the same articles in
 * the same groups, in the same order, under the same names — so the last build's groups
 * and plan hold, and only the documents that list an edited article are planned again
 * (replanEdited). Anything else (a seed added, removed, unpublished, made invalid, moved in
 * time or between feeds) answers undefined, and the build compiles the site as a whole.
 * The result is exactly what a whole compile would give: tests/compile/recompile-edits
 * and watch.test.ts compare them with cold builds.
 *
 * It costs what the edit touches, not the site: the last build's seed map, item ids and
 * plan are updated in place (the last build is done with them; a rebuild that fails
 * leaves the next one to compile the whole site, which reads nothing from them).
 */
export function recompileEdits(
  options: BuildOptions,
  inputs: SiteInputs,
  prior: BuildState,
  previous: CompiledSite,
  known: KnownSeeds & { changed: ReadonlyMap<string, SeedFile> },
): CompiledSite | undefined {
  // Every changed seed is read and checked before anything is updated.
  const read: { name: string; before: ValidSeed; after: ValidSeed; article: PublishedArticle }[] =
    [];
  for (const [name, seed] of known.changed) {
    const before = prior.seeds.get(name);
    if (before?.status !== 'valid') return undefined;
    const outcome = processSeed(seed);
    if (outcome.status !== 'valid' || !samePlace(before.core, outcome.article)) return undefined;
    const after: ValidSeed = {
      signature: outcome.signature,
      status: 'valid',
      core: coreOf(outcome.article),
      text: outcome.text,
      content: outcome.content,
    };
    read.push({ name, before, after, article: outcome.article });
  }
  const seeds = previous.seeds;
  const fresh = new Map<string, PublishedArticle>();
  const text = { ...previous.text };
  const edited = new Set<string>();
  const seedChanges: SeedChange[] = [];
  const rereads =
    previous.rereads && previous.rereads.size < MAX_REREADS ? previous.rereads : new Map();
  for (const { name, before, after, article } of read) {
    seeds.set(name, after);
    fresh.set(name, article);
    rereads.delete(name);
    seedChanges.push({ before, after });
    text.mojibakeRepaired += after.text.mojibakeRepaired - before.text.mojibakeRepaired;
    text.illegalRemoved += after.text.illegalRemoved - before.text.illegalRemoved;
    if (after.content !== before.content) edited.add(name);
  }
  // The resolved cores the groups hold (a merged duplicate's loser is in none: nothing lists it).
  const cores: ArticleCore[] = [];
  if (edited.size > 0) {
    for (const core of previous.plan.groups.site.items) if (edited.has(core.file)) cores.push(core);
  }
  const context = planContext(options, inputs.site, undefined, seeds, fresh, rereads);
  const plan = replanEdited(previous.plan, cores, context);
  return {
    ...previous,
    found: known.found,
    sources: plan.jobs,
    plan,
    seeds,
    text,
    parsed: known.changed.size,
    seedChanges,
    rereads,
  };
}

/** Whether an edited seed keeps its article where it was: everything grouping looks at. */
function samePlace(before: ArticleCore, after: ArticleCore): boolean {
  return (
    before.url === after.url &&
    before.file === after.file &&
    before.date === after.date &&
    before.provider.domain === after.provider.domain &&
    before.provider.name === after.provider.name &&
    before.provider.logo === after.provider.logo &&
    before.topicNames.length === after.topicNames.length &&
    before.topicNames.every((name, i) => after.topicNames[i] === name)
  );
}
