import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildRecord } from '../core/build-record.ts';
import type { BuildReport } from './build-report.ts';
import { buildCacheKey, emptyState, loadBuildState, saveBuildState } from './cache/build-cache.ts';
import { cacheInputs, compileSite, loadSiteInputs, reportOf } from './compile-site.ts';
import type { BuildOptions } from './parse-build-args.ts';
import { phaseTimer } from './phase-timer.ts';
import { recompileEdits } from './recompile-edits.ts';
import { diffSeeds, reportSealedChanges } from './report-sealed-changes.ts';
import { exportBuild } from './store/export-build.ts';
import { ValueStore } from './store/value-store.ts';
import { writeBuild } from './store/write-build.ts';
import { type BuildSession, updateSeedList } from './watch/build-session.ts';

export type SiteBuild = {
  report: BuildReport;
  ok: boolean;
  /** The build written; undefined when invalid seeds stopped it. */
  record: BuildRecord | undefined;
  rendered: number;
  reused: number;
  parsed: number;
  /** Values added to the store by this build. */
  added: { values: number; bytes: number };
  /** With --export: files written and removed there. */
  exported?: { written: number; removed: number } | undefined;
};

/**
 * Where a build's values live: beside the build in `<out>`, never in the cache folder, which
 * stays build state only (small enough for a CI job to keep between runs; a document is
 * known there by its input and content hashes).
 */
export function storeDirOf(options: BuildOptions): string {
  return join(options.outDir, 'store');
}

/**
 * The command line's build: seeds → the store and `<out>/build.json`, with the build cache
 * in `options.cacheDir` so that seeds and documents that did not change are neither read
 * nor rendered nor written again. What it stores is what a cold build stores.
 */
export async function buildSite(
  options: BuildOptions,
  onProgress: (phase: string, done: number, total: number) => void = () => {},
  session?: BuildSession,
): Promise<SiteBuild> {
  try {
    return await buildSiteOnce(options, onProgress, session);
  } catch (error) {
    // The seeds events named may not all have been read, and the last build's plan may be
    // half updated: the next build lists and checks every seed, and looks every document
    // up, again rather than trust what this one left.
    if (session) {
      session.changed = undefined;
      session.last = undefined;
    }
    throw error;
  }
}

async function buildSiteOnce(
  options: BuildOptions,
  onProgress: (phase: string, done: number, total: number) => void,
  session: BuildSession | undefined,
): Promise<SiteBuild> {
  const started = performance.now();
  const lap = phaseTimer();
  const inputs = await loadSiteInputs(options);
  const key = buildCacheKey(cacheInputs(options, inputs));
  // A watching build starts from what it kept, unless an input besides seeds changed.
  const kept = session?.state?.key === key ? session : undefined;
  const prior =
    kept?.state ?? (options.cacheDir ? loadBuildState(options.cacheDir, key) : emptyState(key));
  lap('load cache');
  // This build takes the events so far; events while it runs wait for the next one.
  const changed = session?.changed;
  if (session) session.changed = new Map();
  const known = kept?.found && changed ? { found: kept.found, changed } : undefined;
  const compiled =
    (known && kept?.compiled && recompileEdits(options, inputs, prior, kept.compiled, known)) ||
    (await compileSite(options, inputs, prior, known));
  lap('compile');
  const ok = compiled.problems.length === 0;
  const none = { values: 0, bytes: 0 };
  if (!ok && !options.skipInvalid) {
    // Nothing was written: the next build must look at these seeds again.
    if (session?.changed) {
      if (changed === undefined) session.changed = undefined;
      else for (const [name, seed] of changed) session.changed.set(name, seed);
    }
    return {
      report: reportOf(compiled, compiled.sources.length, 0, started),
      ok,
      record: undefined,
      rendered: 0,
      reused: 0,
      parsed: compiled.parsed,
      added: none,
    };
  }
  const storeDir = storeDirOf(options);
  // Without a cache nothing is kept from one build to the next, values included.
  if (!options.cacheDir && !session) rmSync(storeDir, { recursive: true, force: true });
  const store = session?.store?.dir === storeDir ? session.store : ValueStore.open(storeDir);
  const written = await writeBuild({
    store,
    outDir: options.outDir,
    sources: compiled.sources,
    prior: prior.documents,
    facts: compiled.facts,
    last: session?.last,
    // --export reads every body; so does a build without a cache (nothing to trust).
    changedOnly: options.changedOnly === true && !options.exportDir && prior.documents.size > 0,
    onProgress: (done) => onProgress('render', done, compiled.sources.length),
  });
  lap('render and store');
  const exported = options.exportDir
    ? exportBuild({
        store,
        manifest: written.manifest,
        dir: options.exportDir,
        recordFile: options.cacheDir ? join(options.cacheDir, 'exports.json') : undefined,
      })
    : undefined;
  if (exported) lap('export');
  const state = { key, seeds: compiled.seeds, documents: written.documents };
  if (session) {
    // The cache folder is written when the watch is idle (saveSession), not per rebuild.
    session.state = state;
    session.found = compiled.found;
    session.compiled = compiled;
    session.last = written.last;
    session.store = store;
    // Seeds added or removed while this build ran belong in the list it made.
    for (const seed of session.changed?.values() ?? []) updateSeedList(session.found, seed);
    session.unsaved = true;
  } else {
    store.closeFiles();
    if (options.cacheDir) saveBuildState(options.cacheDir, state);
  }
  lap('save cache');
  const report = reportOf(compiled, compiled.sources.length, written.bytes, started);
  if (prior.documents.size > 0) {
    report.archives.changed = reportSealedChanges({
      prior: prior.documents,
      next: written.documents,
      rendered: written.renderedPaths,
      seedChanges: compiled.seedChanges ?? diffSeeds(prior.seeds, compiled.seeds),
      sealedThrough: compiled.sealedThrough,
    });
  }
  return {
    report,
    ok,
    exported,
    record: written.record,
    rendered: written.rendered,
    reused: written.reused,
    parsed: compiled.parsed,
    added: written.added,
  };
}
