import { type ManifestEntry, serializeShard, shardIndex } from '../../core/manifest.ts';
import { shardKey } from '../../core/store-keys.ts';
import type { AssembledBuild } from '../store/assemble-build.ts';
import { contentHash } from '../store/content-hash.ts';
import type { CachedDocument, CachedSeed } from './build-cache.ts';
import type { RestoredState } from './site-snapshot.ts';
import type { JournalEntry } from './site-state-schema.ts';
import { StateFileError } from './state-file.ts';

type ValidSeed = Extract<CachedSeed, { status: 'valid' }>;

/**
 * Brings a restored snapshot up to date with the journal's entries, in order. Each entry
 * is a rebuild after in-place edits, which moved no article: it changes seed records and
 * documents in place, never the groups, the listing or the set of paths (so the shards
 * stay as many, and the paths in each stay the same).
 */
export function applyJournal(state: RestoredState, entries: readonly JournalEntry[]): void {
  for (const entry of entries) {
    if (entry.from !== state.assembled.record.buildId)
      throw new StateFileError('journal: an entry does not follow the build before it');
    for (const [
      name,
      signature,
      content,
      mojibake,
      illegal,
      url,
      date,
      p,
      names,
      lines,
    ] of entry.seeds) {
      if (!state.seeds.has(name))
        throw new StateFileError('journal: an entry names an unknown seed');
      state.seeds.set(name, {
        signature,
        status: 'valid',
        core: {
          url,
          file: name,
          date,
          provider: { domain: p[0], name: p[1], logo: p[2] ?? undefined },
          topicNames: names,
          topicLines: lines,
          topics: [],
        },
        text: { mojibakeRepaired: mojibake, illegalRemoved: illegal },
        content,
      });
    }
    for (const [path, inputHash, hash, bytes, updated] of entry.documents) {
      const i = state.index.get(path);
      const before = i === undefined ? undefined : state.made[i];
      const job = i === undefined ? undefined : state.jobs[i];
      if (i === undefined || before === undefined || job === undefined)
        throw new StateFileError('journal: an entry names an unknown document');
      // Both the restored job and what was stored for it (document-columns.ts).
      const doc = { path, type: before.type, updated, inputHash, render: job.render, hash, bytes };
      state.made[i] = doc;
      state.jobs[i] = doc;
      state.documents.set(path, doc);
      state.assembled.manifest.set(path, [hash, Math.floor(updated / 1000), doc.type]);
    }
    const added = new Map(entry.shards.map(([hash, text]) => [shardKey(hash), text]));
    const shards = new Map<string, string>();
    for (const hash of entry.record.shards) {
      const key = shardKey(hash);
      const text = state.assembled.shards.get(key) ?? added.get(key);
      if (text !== undefined) shards.set(key, text);
    }
    state.assembled = { ...state.assembled, record: entry.record, shards };
    state.summary = { ...state.summary, text: entry.text };
    if (entry.listing) state.header = { ...state.header, listing: entry.listing };
  }
  if (entries.length > 0) state.assembled = withShardTexts(state.assembled);
}

/**
 * The build with the text of each shard its record names: the snapshot's or an entry's,
 * or, for one neither has (an entry that could not keep it), serialized again from the
 * manifest and checked against the hash the record gives it.
 */
function withShardTexts(build: AssembledBuild): AssembledBuild {
  const count = build.record.shards.length;
  const shards = new Map<string, string>();
  const missing = new Map<number, [string, ManifestEntry][]>();
  for (const [i, hash] of build.record.shards.entries()) {
    const text = build.shards.get(shardKey(hash));
    if (text === undefined) missing.set(i, []);
  }
  if (missing.size > 0) {
    for (const [path, entry] of build.manifest)
      missing.get(shardIndex(path, count))?.push([path, entry]);
  }
  for (const [i, hash] of build.record.shards.entries()) {
    const key = shardKey(hash);
    const members = missing.get(i);
    const text = members ? serializeShard(members) : build.shards.get(key);
    if (text === undefined || (members && contentHash(text) !== hash))
      throw new StateFileError('journal: a manifest shard does not match its hash');
    shards.set(key, text);
  }
  return { ...build, shards };
}

/**
 * The journal entry for a rebuild of a restored state after in-place edits: the seeds it
 * read again, the documents it planned again (by job index, where the plan's job is no
 * longer the restored one) and the new build record.
 */
export function journalEntry(options: {
  generation: string;
  seeds: readonly [string, CachedSeed | undefined][];
  restoredJobs: readonly { path: string }[];
  jobs: readonly { path: string }[];
  documents: ReadonlyMap<string, CachedDocument>;
  before: AssembledBuild;
  after: AssembledBuild;
  text: JournalEntry['text'];
  listing: JournalEntry['listing'];
}): JournalEntry | undefined {
  const seeds: JournalEntry['seeds'] = [];
  for (const [name, record] of options.seeds) {
    if (record?.status !== 'valid') return undefined;
    const { core } = record as ValidSeed;
    seeds.push([
      name,
      record.signature,
      record.content,
      record.text.mojibakeRepaired,
      record.text.illegalRemoved,
      core.url,
      core.date,
      [core.provider.domain, core.provider.name, core.provider.logo ?? null],
      core.topicNames,
      core.topicLines,
    ]);
  }
  if (options.jobs.length !== options.restoredJobs.length) return undefined;
  const documents: JournalEntry['documents'] = [];
  for (const [i, job] of options.jobs.entries()) {
    if (job === options.restoredJobs[i]) continue;
    const doc = options.documents.get(job.path);
    if (doc === undefined || job.path !== options.restoredJobs[i]?.path) return undefined;
    documents.push([job.path, doc.inputHash, doc.hash, doc.bytes, doc.updated]);
  }
  const shards: JournalEntry['shards'] = [];
  for (const hash of options.after.record.shards) {
    const key = shardKey(hash);
    const text = options.after.shards.get(key);
    if (text !== undefined && !options.before.shards.has(key)) shards.push([hash, text]);
  }
  return {
    generation: options.generation,
    from: options.before.record.buildId,
    seeds,
    documents,
    record: options.after.record,
    shards,
    ...(options.listing ? { listing: options.listing } : {}),
    text: options.text,
  };
}
