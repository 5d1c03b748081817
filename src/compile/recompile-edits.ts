import { type ArticleCore, coreOf, type PublishedArticle } from '../core/published-article.ts';
import type { BuildState } from './cache/build-cache.ts';
import {
  type CompiledSite,
  type KnownSeeds,
  planContext,
  type SiteInputs,
} from './compile-site.ts';
import type { BuildOptions } from './parse-build-args.ts';
import { replanEdited } from './render/plan-documents.ts';
import type { SeedFile } from './seeds/find-seed-files.ts';
import { processSeed } from './seeds/process-seed.ts';

/**
 * A watching build after seeds were edited in place, the usual edit (a title or an excerpt
 * corrected): when every seed events named was valid before and is now, with the same URL,
 * date, provider and topics, nothing about the site's feeds moves — the same articles in
 * the same groups, in the same order, under the same names — so the last build's groups
 * and plan hold, and only the documents that list an edited article are planned again
 * (replanEdited). Anything else (a seed added, removed, unpublished, made invalid, moved in
 * time or between feeds) answers undefined, and the build compiles the site as a whole.
 * The result is exactly what a whole compile would give: tests/compile/watch.test.ts and
 * build-cache.test.ts compare them.
 */
export function recompileEdits(
  options: BuildOptions,
  inputs: SiteInputs,
  prior: BuildState,
  previous: CompiledSite,
  known: KnownSeeds & { changed: ReadonlyMap<string, SeedFile> },
): CompiledSite | undefined {
  const seeds = new Map(previous.seeds);
  const fresh = new Map<string, PublishedArticle>();
  const edited: string[] = [];
  const text = { ...previous.text };
  for (const [name, seed] of known.changed) {
    const before = prior.seeds.get(name);
    if (before?.status !== 'valid') return undefined;
    const outcome = processSeed(seed);
    if (outcome.status !== 'valid' || !samePlace(before.core, outcome.article)) return undefined;
    seeds.set(name, {
      signature: outcome.signature,
      status: 'valid',
      core: coreOf(outcome.article),
      text: outcome.text,
      content: outcome.content,
    });
    fresh.set(name, outcome.article);
    text.mojibakeRepaired += outcome.text.mojibakeRepaired - before.text.mojibakeRepaired;
    text.illegalRemoved += outcome.text.illegalRemoved - before.text.illegalRemoved;
    if (outcome.content !== before.content) edited.push(name);
  }
  // The resolved cores the groups hold (a merged duplicate's loser is in none: nothing lists it).
  const shown = new Set(edited);
  const cores: ArticleCore[] = [];
  if (shown.size > 0) {
    for (const core of previous.plan.groups.site.items) if (shown.has(core.file)) cores.push(core);
  }
  const context = planContext(options, inputs.site, seeds, fresh, previous.found);
  const plan = replanEdited(previous.plan, cores, context);
  return {
    ...previous,
    found: known.found,
    sources: plan.jobs,
    plan,
    seeds,
    text,
    parsed: known.changed.size,
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
