import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_RECORD_KEY } from '../core/document-paths.ts';
import type { BundleEntry } from '../core/document-record.ts';
import { documentTypeOf } from '../core/media-types.ts';
import { contentKey } from '../core/store-keys.ts';
import type { BuildReport } from './build-report.ts';
import {
  buildCacheKey,
  type CachedDocument,
  emptyState,
  loadBuildState,
  saveBuildState,
} from './cache/build-cache.ts';
import { type CompiledSite, cacheInputs, compileSite, loadSiteInputs } from './compile-site.ts';
import type { BuildOptions } from './parse-build-args.ts';
import { phaseTimer } from './phase-timer.ts';
import { type AssembledBuild, assembleBuild, type StoredDocument } from './store/assemble-build.ts';
import { contentHash } from './store/content-hash.ts';
import { makeDocument } from './store/make-document.ts';
import { statBundle } from './store/stat-bundle.ts';
import { writeBundleFile } from './store/write-bundle-file.ts';
import { type BuildSession, linesOf, updateSeedList } from './watch/build-session.ts';

/**
 * seeds/ → every document of the URL table, as bundle entries sorted by key, in memory.
 * For tests and small sites; the command line streams to a file through `buildBundleFile`.
 * Pure with respect to the clock: the same seeds and options give the same bytes.
 */
export async function compileBundle(options: BuildOptions): Promise<{
  entries: BundleEntry[];
  /** The same documents as a content-addressed build: its record, shards and values. */
  build: AssembledBuild & { values: Map<string, string> };
  report: BuildReport;
  ok: boolean;
}> {
  const started = performance.now();
  const inputs = await loadSiteInputs(options);
  const compiled = await compileSite(options, inputs, emptyState(''));
  const documents = new Map<string, CachedDocument>();
  const entries: BundleEntry[] = [];
  const stored: StoredDocument[] = [];
  const values = new Map<string, string>();
  let bytes = 0;
  for (const source of compiled.sources) {
    const body = source.render();
    const hash = contentHash(body);
    values.set(contentKey(hash), body);
    stored.push({
      path: source.path,
      hash,
      updated: source.updated,
      type: documentTypeOf(source.contentType),
    });
    const { entry, bytes: size } = makeDocument(
      source.path,
      body,
      source.contentType,
      source.updated,
    );
    documents.set(source.key, {
      inputHash: source.inputHash,
      offset: 0,
      length: 0,
      metadata: entry.metadata,
      bytes: size,
    });
    bytes += size;
    entries.push(entry);
  }
  const buildRecord = compiled.buildRecord(documents);
  const record = JSON.stringify(buildRecord);
  entries.push({ key: BUILD_RECORD_KEY, value: record });
  bytes += Buffer.byteLength(record);
  const { builtAt, generator, counts } = buildRecord;
  const assembled = assembleBuild(stored, {
    builtAt,
    generator,
    siteUrl: options.siteUrl,
    hubUrl: options.hubUrl ?? `${options.siteUrl}/hub`,
    counts: { ...counts, archivePages: 0 },
  });
  for (const [key, text] of assembled.shards) values.set(key, text);
  const report = reportOf(compiled, entries.length - 1, bytes, started);
  return { entries, build: { ...assembled, values }, report, ok: compiled.problems.length === 0 };
}

/**
 * The command line's build: `<out>/kv-bundle.json` streamed to disk, with the build cache
 * in `options.cacheDir` so that seeds and documents that did not change are neither read
 * nor rendered again. The file is byte-identical to what a cold build writes.
 */
export async function buildBundleFile(
  options: BuildOptions,
  onProgress: (phase: string, done: number, total: number) => void = () => {},
  session?: BuildSession,
): Promise<{ report: BuildReport; ok: boolean; rendered: number; reused: number; parsed: number }> {
  const started = performance.now();
  const lap = phaseTimer();
  const inputs = await loadSiteInputs(options);
  const key = buildCacheKey({ ...cacheInputs(options, inputs), out: options.outDir });
  // A watching build starts from what it kept, unless an input besides seeds changed.
  const kept = session?.state?.key === key ? session : undefined;
  const prior =
    kept?.state ?? (options.cacheDir ? loadBuildState(options.cacheDir, key) : emptyState(key));
  lap('load cache');
  // This build takes the events so far; events while it runs wait for the next one.
  const changed = session?.changed;
  if (session) session.changed = new Map();
  const known = kept?.found && changed ? { found: kept.found, changed } : undefined;
  const compiled = await compileSite(options, inputs, prior, known);
  const ok = compiled.problems.length === 0;
  if (!ok && !options.skipInvalid) {
    // Nothing was written: the next build must look at these seeds again.
    if (session?.changed) {
      if (changed === undefined) session.changed = undefined;
      else for (const [name, seed] of changed) session.changed.set(name, seed);
    }
    return {
      report: reportOf(compiled, compiled.sources.length, 0, started),
      ok,
      rendered: 0,
      reused: 0,
      parsed: compiled.parsed,
    };
  }
  mkdirSync(options.outDir, { recursive: true });
  const path = join(options.outDir, 'kv-bundle.json');
  // The previous bundle is spliced from only if it is the very file the cache describes,
  // or the lines a watching build kept of the bundle it wrote.
  const lines = kept?.lines;
  const previousIntact =
    lines !== undefined || (prior.bundle !== undefined && sameFile(statBundle(path), prior.bundle));
  const written = await writeBundleFile(
    path,
    compiled.sources,
    {
      documents: previousIntact ? prior.documents : new Map(),
      path: previousIntact && !lines ? path : undefined,
      lines,
    },
    compiled.buildRecord,
    (done) => onProgress('render', done, compiled.sources.length),
    session !== undefined,
  );
  lap('render and write bundle');
  const state = {
    key,
    seeds: compiled.seeds,
    documents: written.documents,
    bundle: written.bundle,
  };
  if (session) {
    // The cache folder is written when the watch is idle (saveSession), not per rebuild.
    session.state = state;
    session.found = compiled.found;
    // Seeds added or removed while this build ran belong in the list it made.
    for (const seed of session.changed?.values() ?? []) updateSeedList(session.found, seed);
    session.lines = written.lines ?? linesOf(path, written.documents);
    session.unsaved = true;
  } else if (options.cacheDir) saveBuildState(options.cacheDir, state);
  lap('save cache');
  const report = reportOf(compiled, compiled.sources.length, written.bytes, started);
  return {
    report,
    ok,
    rendered: written.rendered,
    reused: written.reused,
    parsed: compiled.parsed,
  };
}

function sameFile(
  now: { size: number; mtimeNs: string } | undefined,
  then: { size: number; mtimeNs: string },
): boolean {
  return now !== undefined && now.size === then.size && now.mtimeNs === then.mtimeNs;
}

function reportOf(
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
  };
}
