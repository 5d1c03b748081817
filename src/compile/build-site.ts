import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildRecord } from '../core/build-record.ts';
import type { BuildReport } from './build-report.ts';
import { journalEntry } from './cache/apply-journal.ts';
import { type CachedDocument, emptyState } from './cache/build-cache.ts';
import { type CacheKey, cacheKeyOf } from './cache/cache-key.ts';
import { appendJournal, JOURNAL_FILE, JOURNAL_LIMIT_BYTES } from './cache/site-journal.ts';
import { type RestoredState, type SiteState, writeSnapshot } from './cache/site-snapshot.ts';
import {
  type CompiledSite,
  cacheInputs,
  compileSite,
  loadSiteInputs,
  reportOf,
} from './compile-site.ts';
import type { BuildOptions } from './parse-build-args.ts';
import { phaseTimer } from './phase-timer.ts';
import { recompileEdits } from './recompile-edits.ts';
import { diffSeeds, reportSealedChanges } from './report-sealed-changes.ts';
import { restoreSession } from './restore-session.ts';
import type { AssembledBuild } from './store/assemble-build.ts';
import { exportBuild } from './store/export-build.ts';
import { ValueStore } from './store/value-store.ts';
import { type WrittenBuild, writeBuild } from './store/write-build.ts';
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
  /** Why the cache folder's state was not used, when it was there (one line for the user). */
  cacheIgnored?: string | undefined;
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
  watching: BuildSession | undefined,
): Promise<SiteBuild> {
  const started = performance.now();
  const lap = phaseTimer();
  const inputs = await loadSiteInputs(options);
  const key = cacheKeyOf(cacheInputs(options, inputs));
  const storeDir = storeDirOf(options);
  // A new process starts from the cache folder's snapshot as a watching build starts from
  // memory: the compiled site, the listing and the seeds that changed (restore-session.ts).
  // So does a watch's first build, which then keeps what it restored.
  const fromDisk =
    options.cacheDir && watching?.state === undefined
      ? await restoreSession({ ...options, cacheDir: options.cacheDir }, inputs, key, storeDir, lap)
      : {};
  if (watching && fromDisk.restored) Object.assign(watching, fromDisk.restored.session);
  const session = watching ?? fromDisk.restored?.session;
  // A watching build starts from what it kept, unless an input besides seeds changed.
  const kept = session?.state?.key === key.key ? session : undefined;
  const prior = kept?.state ?? emptyState(key.key);
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
    if (watching?.changed) {
      if (changed === undefined) watching.changed = undefined;
      else for (const [name, seed] of changed) watching.changed.set(name, seed);
    }
    if (!watching) fromDisk.restored?.session.store?.closeFiles();
    return {
      report: reportOf(compiled, compiled.sources.length, 0, started),
      ok,
      record: undefined,
      rendered: 0,
      reused: 0,
      parsed: compiled.parsed,
      added: none,
      cacheIgnored: fromDisk.ignored,
    };
  }
  // Without a cache nothing is kept from one build to the next, values included.
  if (!options.cacheDir && !watching) rmSync(storeDir, { recursive: true, force: true });
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
  const state = { key: key.key, seeds: compiled.seeds, documents: written.documents };
  if (watching) {
    // The cache folder is written when the watch is idle (saveSession), not per rebuild.
    watching.state = state;
    watching.cacheKey = key;
    watching.found = compiled.found;
    watching.compiled = compiled;
    watching.last = written.last;
    watching.store = store;
    // Seeds added or removed while this build ran belong in the list it made.
    for (const seed of watching.changed?.values() ?? []) updateSeedList(watching.found, seed);
    watching.unsaved = true;
  } else {
    store.closeFiles();
    if (options.cacheDir) {
      saveState(options.cacheDir, key, compiled, written, fromDisk.restored?.restored);
    }
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
    cacheIgnored: fromDisk.ignored,
  };
}

/**
 * Writes what the next build starts from: one entry appended to the journal when this
 * build changed a restored site in place (recompileEdits: no article moved), else a new
 * snapshot of the whole site (a regrouped site, a journal grown past its limit, no cache).
 */
function saveState(
  cacheDir: string,
  key: CacheKey,
  compiled: CompiledSite,
  written: WrittenBuild,
  restored: RestoredState | undefined,
): void {
  if (restored && compiled.plan.groups === restored.groups && compiled.seedChanges) {
    const entry = journalEntry({
      generation: restored.header.generation,
      seeds: compiled.seedChanges.map((c) => [
        c.after?.status === 'valid' ? c.after.core.file : '',
        c.after,
      ]),
      restoredJobs: restored.jobs,
      jobs: compiled.sources,
      documents: written.documents,
      before: restored.assembled,
      after: written.last.assembled,
      text: compiled.text,
      // Listed again with the same names (a fast path adds or removes none).
      listing:
        compiled.found.listedAt === restored.header.listing?.listedAt
          ? undefined
          : {
              listedAt: compiled.found.listedAt,
              folders: compiled.found.folders.map((f) => [f.path, f.prefix, f.stamp]),
            },
    });
    if (entry && restored.journalBytes < JOURNAL_LIMIT_BYTES) {
      appendJournal(join(cacheDir, JOURNAL_FILE), entry);
      return;
    }
  }
  writeSnapshot(cacheDir, siteStateOf(key, compiled, written.documents, written.last.assembled));
}

/** A watching build's state, written when the watch is idle and when it stops. */
export function saveSession(cacheDir: string, session: BuildSession): void {
  const { cacheKey, compiled, state, last } = session;
  if (!cacheKey || !compiled || !state || !last) return;
  writeSnapshot(cacheDir, siteStateOf(cacheKey, compiled, state.documents, last.assembled));
}

function siteStateOf(
  key: CacheKey,
  compiled: CompiledSite,
  documents: ReadonlyMap<string, CachedDocument>,
  assembled: AssembledBuild,
): SiteState {
  return {
    key,
    found: compiled.found,
    seeds: compiled.seeds,
    groups: compiled.plan.groups,
    jobs: compiled.sources,
    documents,
    assembled,
    summary: {
      counts: compiled.counts,
      text: compiled.text,
      rejected: compiled.rejected,
      problems: compiled.problems,
      sealedThrough: Number.isFinite(compiled.sealedThrough) ? compiled.sealedThrough : null,
    },
  };
}
