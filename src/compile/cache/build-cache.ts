import type { TextStats } from '../../core/clean-text.ts';
import type { DocumentType } from '../../core/media-types.ts';
import type { ArticleCore } from '../../core/published-article.ts';
import type { SeedProblem } from '../../core/seed-problem.ts';

/** What the cache remembers of a seed: enough to regroup without reading it. */
export type CachedSeed =
  | {
      signature: string;
      status: 'valid';
      core: ArticleCore;
      text: TextStats;
      /** Digest of the seed's bytes (read-seed.ts): what its items show depends on them. */
      content: string;
    }
  | { signature: string; status: 'unpublished' }
  | { signature: string; status: 'invalid'; problems: SeedProblem[] };

/**
 * Seed records by name, in listing order: a Map, or a restored snapshot's table, which
 * decodes a record when asked for it (seed-table.ts).
 */
export type SeedRecords = ReadonlyMap<string, CachedSeed> & {
  set(name: string, record: CachedSeed): unknown;
};

/** A document the last build stored: what it was made from, and where its bytes are. */
export type CachedDocument = {
  inputHash: string;
  /** Content hash of the body: its value is `c:<hash>` in the store. */
  hash: string;
  /** UTF-8 size of the body. */
  bytes: number;
  /** Epoch ms of the newest item it shows. */
  updated: number;
  type: DocumentType;
};

/**
 * What a build starts from: every seed's signature and core, and every document's input
 * hash and content hash (its body is in the store, or in the namespace). Anything that can
 * change output and is not a seed — edgefeed's own code, flags, site config, taxonomy — is
 * folded into `key` (cache-key.ts); a different key means a cold build. On disk it is the
 * snapshot and journal of the compiled site (site-snapshot.ts, site-journal.ts).
 */
export type BuildState = {
  key: string;
  seeds: SeedRecords;
  /** By path. */
  documents: Map<string, CachedDocument>;
};

export function emptyState(key: string): BuildState {
  return { key, seeds: new Map(), documents: new Map() };
}
