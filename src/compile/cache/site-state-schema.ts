// zod/mini, as for the build record it carries: the header of a state file is read on
// every build, and a small schema parses it in a few milliseconds.
import * as z from 'zod/mini';
import { BuildRecordSchema } from '../../core/build-record.ts';

const ProviderSchema = z.tuple([z.string(), z.string(), z.nullable(z.string())]);

export const CacheKeyPartsSchema = z.object({
  version: z.string(),
  siteUrl: z.string(),
  hubUrl: z.string(),
  pageSize: z.string(),
  seeds: z.string(),
  config: z.string(),
  taxonomy: z.string(),
  icon: z.string(),
});

/** What a build counted and reported, kept so a restored site reports the same. */
export const SiteSummarySchema = z.object({
  counts: z.object({
    filesRead: z.number(),
    published: z.number(),
    unpublished: z.number(),
    invalid: z.number(),
    duplicatesMerged: z.number(),
    topics: z.number(),
    providers: z.number(),
    feeds: z.number(),
  }),
  text: z.object({ mojibakeRepaired: z.number(), illegalRemoved: z.number() }),
  rejected: z.array(z.string()),
  problems: z.array(z.string()),
  /** Epoch ms of the site feed's newest sealed item; null for none (-Infinity). */
  sealedThrough: z.nullable(z.number()),
});
export type SiteSummary = z.infer<typeof SiteSummarySchema>;

/** A folder the seed listing walked: path, names' prefix, and its stamp then (seeds/). */
const FolderSchema = z.tuple([z.string(), z.string(), z.string()]);

/** The seed listing's folders and when it was taken (the names are the seed table's). */
const ListingSchema = z.object({ listedAt: z.number(), folders: z.array(FolderSchema) });

/** The header of the state file (the large parts are typed columns beside it). */
export const SiteStateHeaderSchema = z.object({
  format: z.literal('edgefeed-site-state-1'),
  key: z.string(),
  parts: CacheKeyPartsSchema,
  /** Names this snapshot; a journal entry of another generation is not about it. */
  generation: z.string(),
  /** The seed listing, when it can be reused (seeds/find-seed-files.ts). */
  listing: z.nullable(ListingSchema),
  seedProviders: z.array(ProviderSchema),
  groups: z.object({
    providers: z.array(ProviderSchema),
    topics: z.array(z.tuple([z.string(), z.string()])),
    topicLists: z.array(z.array(z.number())),
    /** [kind, key, name, title, description, logo, parent] per feed. */
    words: z.array(
      z.tuple([
        z.enum(['site', 'topic', 'provider']),
        z.string(),
        z.string(),
        z.string(),
        z.string(),
        z.nullable(z.string()),
        z.nullable(z.string()),
      ]),
    ),
    topicCount: z.number(),
  }),
  summary: SiteSummarySchema,
  record: BuildRecordSchema,
});
export type SiteStateHeader = z.infer<typeof SiteStateHeaderSchema>;

/**
 * One journal entry: what a rebuild after in-place edits changed (recompile-edits.ts) —
 * the edited seeds' records, the documents planned again, the new build record and its
 * new manifest shards.
 */
export const JournalEntrySchema = z.object({
  generation: z.string(),
  /**
   * The id of the build this entry was made from: the snapshot's, or the entry's before.
   * Two builds that restored the same state and both appended (two processes sharing a
   * cache folder) would otherwise mix their documents under one record.
   */
  from: z.string(),
  /** [name, signature, content, mojibakeRepaired, illegalRemoved, url, date, provider, topicNames, topicLines] */
  seeds: z.array(
    z.tuple([
      z.string(),
      z.string(),
      z.string(),
      z.number(),
      z.number(),
      z.string(),
      z.number(),
      ProviderSchema,
      z.array(z.string()),
      z.array(z.number()),
    ]),
  ),
  /** [path, inputHash, hash, bytes, updated] of each document planned again. */
  documents: z.array(z.tuple([z.string(), z.string(), z.string(), z.number(), z.number()])),
  record: BuildRecordSchema,
  /**
   * [hash, text] of each manifest shard the record names that the snapshot and the
   * entries before lack (~30 of 128 at 100,000 seeds): serializing them again on loading
   * cost more than reading them.
   */
  shards: z.array(z.tuple([z.string(), z.string()])),
  text: z.object({ mojibakeRepaired: z.number(), illegalRemoved: z.number() }),
  /** The folders listed again (same names: an editor that saves by renaming touches them). */
  listing: z.optional(ListingSchema),
});
export type JournalEntry = z.infer<typeof JournalEntrySchema>;
