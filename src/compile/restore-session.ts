import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { contentKey } from '../core/store-keys.ts';
import { applyJournal } from './cache/apply-journal.ts';
import type { CacheKey } from './cache/cache-key.ts';
import { whyIgnored } from './cache/cache-key.ts';
import { JOURNAL_FILE, readJournal } from './cache/site-journal.ts';
import {
  hasSnapshot,
  type OpenedSnapshot,
  openSnapshot,
  type RestoredState,
  restoreSnapshot,
  seedSignatures,
} from './cache/site-snapshot.ts';
import { StateFileError } from './cache/state-file.ts';
import { type CompiledSite, planContext, type SiteInputs } from './compile-site.ts';
import type { BuildOptions } from './parse-build-args.ts';
import { restorePlan } from './render/plan-documents.ts';
import { findChangedSeeds } from './seeds/find-changed-seeds.ts';
import { statSeedsInThread } from './seeds/stat-seeds.ts';
import { ValueStore } from './store/value-store.ts';
import type { BuildSession } from './watch/build-session.ts';

/** The cache file of edgefeed before the snapshot and journal (removed when found). */
const OLD_STATE_FILE = 'build-state.v8';

/** Seeds from which a new process stats them in a thread (EDGEFEED_STAT_THREAD_FROM: tests). */
const STAT_THREAD_FROM = Number(process.env.EDGEFEED_STAT_THREAD_FROM ?? 10_000);

/** Changed seeds past which (or past 1 % of the seeds) a whole compile reads them. */
const MANY_CHANGED = 1000;

/** A session restored from the cache folder, and the state it came from (for the journal). */
export type RestoredSession = { session: BuildSession; restored: RestoredState };

/**
 * What a new process knows from the cache folder, as a watching build knows it in memory
 * (watch/build-session.ts): the compiled and planned site, the seed listing (reused when no
 * folder changed), the seeds that changed since (one stat each), and the open store, so
 * that an edit costs what it touches (recompileEdits) and not the site. `ignored` says why
 * a cache that is there cannot be used; undefined with no session means there is none.
 */
export async function restoreSession(
  options: BuildOptions & { cacheDir: string },
  inputs: SiteInputs,
  key: CacheKey,
  storeDir: string,
  lap: (phase: string) => void,
): Promise<{ restored?: RestoredSession; ignored?: string }> {
  const old = join(options.cacheDir, OLD_STATE_FILE);
  const hadOld = existsSync(old);
  if (hadOld) rmSync(old, { force: true });
  if (!hasSnapshot(options.cacheDir))
    return hadOld ? { ignored: 'written by another version of edgefeed' } : {};
  let restored: RestoredState;
  let stats: ReturnType<typeof statSeedsInThread> | undefined;
  try {
    const snapshot = openSnapshot(options.cacheDir);
    // Stat every seed in a thread while this one checks and decodes the snapshot: the stats
    // are what a new process waits for (on a big site: starting a thread costs ~0.1–0.2 s,
    // the stats of 10,000 seeds about as much). Started before the checksum, and stopped
    // below if the snapshot is not one to use.
    stats = statsInThread(snapshot, options.seedsDir);
    snapshot.check();
    if (snapshot.header.key !== key.key) {
      stats?.stop();
      return { ignored: whyIgnored(snapshot.header.parts, key.parts) };
    }
    restored = restoreSnapshot(snapshot, options.pageSize);
    lap('load snapshot');
    const journal = readJournal(join(options.cacheDir, JOURNAL_FILE), snapshot.header.generation);
    applyJournal(restored, journal.entries);
    restored.journalBytes = journal.bytes;
    lap('apply journal');
  } catch (error) {
    stats?.stop();
    if (error instanceof StateFileError) return { ignored: error.message };
    throw error;
  }
  // Opened while the stat thread works: reading the packs' indexes needs no stat.
  const store = ValueStore.open(storeDir);
  lap('open store');
  const { found, changed, relisted } = await findChangedSeeds(
    options.seedsDir,
    restored.header.listing === null
      ? undefined
      : {
          names: restored.seeds.names,
          folders: restored.header.listing.folders.map(([path, prefix, stamp]) => ({
            path,
            prefix,
            stamp,
          })),
          listedAt: restored.header.listing.listedAt,
        },
    restored.seeds,
    stats?.changed,
  );
  if (relisted) stats?.stop();
  lap(`find changed seeds (${relisted ? 'listed again' : 'listing reused'})`);
  // A restored document is never rendered (document-columns.ts): the last build's plan
  // and stored values are used only when this build will not need their bodies.
  const changedOnly = options.changedOnly === true && !options.exportDir;
  // A folder that could not be read is a problem to report, which only a whole compile does.
  // Many changed seeds (a fresh checkout gives every seed new file times): read them in the
  // parser threads of a whole compile, not one by one here, and write a snapshot, not a
  // journal entry the size of the seed table.
  const few = changed.size <= Math.max(MANY_CHANGED, restored.seeds.size / 100);
  const complete =
    few &&
    found.problems.length === 0 &&
    (changedOnly || restored.made.every((doc) => store.has(contentKey(doc.hash))));
  const state = { key: key.key, seeds: restored.seeds, documents: restored.documents };
  const session: BuildSession = {
    state,
    found,
    compiled: complete ? compiledOf(options, inputs, restored) : undefined,
    last: complete
      ? {
          store,
          sources: restored.jobs,
          made: restored.made,
          documents: restored.documents,
          assembled: restored.assembled,
        }
      : undefined,
    store,
    changed,
    unsaved: false,
  };
  return { restored: { session, restored } };
}

/**
 * A stat thread for the seeds an opened (not yet checked) snapshot names, when it names
 * enough of them and its listing can be reused; none for a snapshot whose seed columns do
 * not decode (its check says why).
 */
function statsInThread(snapshot: OpenedSnapshot, seedsDir: string) {
  if (snapshot.header.listing === null) return undefined;
  let signatures: ReturnType<typeof seedSignatures>;
  try {
    signatures = seedSignatures(snapshot);
  } catch {
    return undefined;
  }
  if (signatures.names.lengths.length < STAT_THREAD_FROM) return undefined;
  return statSeedsInThread({ root: seedsDir, ...signatures });
}

/** The compiled site a restored state stands for, as compileSite made it. */
function compiledOf(
  options: BuildOptions,
  inputs: SiteInputs,
  restored: RestoredState,
): CompiledSite {
  const context = planContext(options, inputs.site, undefined, restored.seeds, new Map());
  const plan = restorePlan(restored.groups, context, restored.jobs, restored.index);
  // recompileEdits gives the build its listing (known.found); a regrouping build lists.
  const { summary } = restored;
  return {
    found: { files: [], problems: [], folders: [], listedAt: 0 },
    sources: plan.jobs,
    plan,
    facts: {
      builtAt: restored.assembled.record.builtAt,
      generator: restored.assembled.record.generator,
      siteUrl: restored.assembled.record.siteUrl,
      hubUrl: restored.assembled.record.hubUrl,
      counts: restored.assembled.record.counts,
    },
    seeds: restored.seeds,
    counts: summary.counts,
    text: { ...summary.text },
    rejected: summary.rejected,
    problems: summary.problems,
    parsed: 0,
    sealedThrough: summary.sealedThrough ?? -Infinity,
  };
}
