import { randomBytes } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import type { ManifestEntry } from '../../core/manifest.ts';
import type { ArticleCore } from '../../core/published-article.ts';
import type { DocumentJob } from '../render/plan-documents.ts';
import type { FoundSeeds } from '../seeds/find-seed-files.ts';
import type { FeedGroups } from '../site/group-feeds.ts';
import type { AssembledBuild } from '../store/assemble-build.ts';
import type { CachedDocument, CachedSeed } from './build-cache.ts';
import type { CacheKey } from './cache-key.ts';
import {
  putDocuments,
  type RestoredDocuments,
  takeDocuments,
  takeShards,
} from './document-columns.ts';
import { putGroups, takeGroups } from './group-columns.ts';
import { putSeeds } from './seed-columns.ts';
import { SeedTable } from './seed-table.ts';
import { JOURNAL_FILE, removeJournal } from './site-journal.ts';
import {
  type SiteStateHeader,
  SiteStateHeaderSchema,
  type SiteSummary,
} from './site-state-schema.ts';
import { openStateFile, type Section, StateFileError, writeStateFile } from './state-file.ts';
import { takeJoined } from './string-column.ts';

/** The snapshot of the last build's compiled, planned and stored site (`--cache-dir`). */
export const SNAPSHOT_FILE = 'site-state.bin';

/** What a build hands the cache: its site as compiled, planned and stored. */
export type SiteState = {
  key: CacheKey;
  found: FoundSeeds;
  seeds: ReadonlyMap<string, CachedSeed>;
  groups: FeedGroups<ArticleCore>;
  jobs: readonly DocumentJob[];
  documents: ReadonlyMap<string, CachedDocument>;
  assembled: AssembledBuild;
  summary: SiteSummary;
};

/** The site state a snapshot (and the journal after it) restores. */
export type RestoredState = RestoredDocuments & {
  header: SiteStateHeader;
  /** The seed records, in listing order (`names`). */
  seeds: SeedTable;
  groups: FeedGroups<ArticleCore>;
  /** Job index by path. */
  index: Map<string, number>;
  assembled: AssembledBuild;
  summary: SiteSummary;
  /** Size of the journal applied to it (site-journal.ts). */
  journalBytes: number;
};

/**
 * Writes the snapshot whole and starts an empty journal after it. Costs what the site
 * costs (a few hundred milliseconds at 100,000 seeds): a build that regrouped the site
 * writes one; a rebuild after edits appends to the journal instead (site-journal.ts).
 */
export function writeSnapshot(cacheDir: string, state: SiteState): void {
  mkdirSync(cacheDir, { recursive: true });
  const sections = new Map<string, Section>();
  const seedProviders = putSeeds(sections, state.seeds);
  const seedIndex = new Map<string, number>();
  for (const name of state.seeds.keys()) seedIndex.set(name, seedIndex.size);
  const groups = putGroups(sections, state.groups, seedIndex);
  putDocuments(sections, state.jobs, state.documents, state.assembled);
  const header: SiteStateHeader = {
    format: 'edgefeed-site-state-1',
    key: state.key.key,
    parts: state.key.parts,
    generation: randomBytes(8).toString('hex'),
    listing: listingOf(state.found, state.seeds),
    seedProviders,
    groups: {
      providers: groups.providers,
      topics: groups.topics,
      topicLists: groups.topicLists,
      words: groups.words.map((w) => [
        w.scope.kind,
        w.scope.kind === 'site' ? '' : w.scope.key,
        w.name,
        w.title,
        w.description,
        w.logo ?? null,
        w.parent ?? null,
      ]),
      topicCount: groups.topicCount,
    },
    summary: state.summary,
    record: state.assembled.record,
  };
  writeStateFile(join(cacheDir, SNAPSHOT_FILE), header, sections);
  // The journal was about the snapshot just replaced (its entries name the old generation
  // and would be skipped; removing it keeps the folder small).
  removeJournal(join(cacheDir, JOURNAL_FILE));
}

/**
 * The listing to keep: only a clean one (no folder problems) that lists exactly the seeds
 * the state has, in the same order, so a restored listing and the seed table agree.
 */
function listingOf(
  found: FoundSeeds,
  seeds: ReadonlyMap<string, CachedSeed>,
): SiteStateHeader['listing'] {
  if (found.problems.length > 0 || found.files.length !== seeds.size) return null;
  let i = 0;
  for (const name of seeds.keys()) if (found.files[i++]?.name !== name) return null;
  return {
    listedAt: found.listedAt,
    folders: found.folders.map((f) => [f.path, f.prefix, f.stamp]),
  };
}

/** Whether the cache folder has a snapshot at all (a missing one is no reason to say). */
export function hasSnapshot(cacheDir: string): boolean {
  return statSync(join(cacheDir, SNAPSHOT_FILE), { throwIfNoEntry: false }) !== undefined;
}

/**
 * A snapshot read, not yet decoded, and not yet checked: `check()` (its checksum) must
 * return before anything but a stat thread's input is taken from it, and its header is to
 * be trusted only when its `key` is also this build's (see openSnapshot).
 */
export type OpenedSnapshot = {
  header: SiteStateHeader;
  sections: Map<string, Section>;
  check: () => void;
};

/**
 * What is parsed of a header: whose it is. The rest is not parsed again (zod took 76 ms of
 * a 100k rebuild for it): a header whose checksum holds and whose key equals this build's
 * was written by this very code (the key names its version, cache-key.ts) for these
 * inputs, as a SiteStateHeader; a key that differs only has its `parts` read, to say why.
 */
const { format, key, parts, listing } = SiteStateHeaderSchema.shape;
const EnvelopeSchema = z.looseObject({ format, key, parts, listing });

/**
 * The snapshot in `cacheDir`, read; throws StateFileError when it is unreadable, torn,
 * corrupt or of another format (corrupt also from `check()`).
 */
export function openSnapshot(cacheDir: string): OpenedSnapshot {
  const file = openStateFile(join(cacheDir, SNAPSHOT_FILE));
  if (!EnvelopeSchema.safeParse(file.header).success) {
    file.check();
    throw new StateFileError('a snapshot of another format');
  }
  return { header: file.header as SiteStateHeader, sections: file.sections, check: file.check };
}

/** Each seed's name and signature in the snapshot, joined, for a stat thread (stat-seeds.ts). */
export function seedSignatures(snapshot: OpenedSnapshot) {
  return {
    names: takeJoined(snapshot.sections, 'seeds.names'),
    signatures: takeJoined(snapshot.sections, 'seeds.signatures'),
  };
}

/** The site state an opened snapshot holds, decoded (without the journal applied). */
export function restoreSnapshot(snapshot: OpenedSnapshot, pageSize: number): RestoredState {
  const { header, sections } = snapshot;
  const seeds = new SeedTable(sections, header.seedProviders);
  const groups = takeGroups(
    sections,
    {
      providers: header.groups.providers,
      topics: header.groups.topics,
      topicLists: header.groups.topicLists,
      topicCount: header.groups.topicCount,
      words: header.groups.words.map(([kind, key, name, title, description, logo, parent]) => ({
        scope: kind === 'site' ? { kind } : { kind, key },
        name,
        title,
        description,
        logo: logo ?? undefined,
        parent: parent ?? undefined,
      })),
    },
    seeds,
    pageSize,
  );
  const documents = takeDocuments(sections);
  const index = new Map<string, number>();
  const manifest = new Map<string, ManifestEntry>();
  for (const [i, doc] of documents.made.entries()) {
    const path = (documents.jobs[i] as DocumentJob).path;
    index.set(path, i);
    manifest.set(path, [doc.hash, Math.floor(doc.updated / 1000), doc.type]);
  }
  const assembled: AssembledBuild = {
    record: header.record,
    manifest,
    shards: takeShards(sections, header.record.shards),
  };
  return {
    ...documents,
    header,
    seeds,
    groups,
    index,
    assembled,
    summary: header.summary,
    journalBytes: 0,
  };
}
