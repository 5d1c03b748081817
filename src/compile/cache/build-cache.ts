import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { TextStats } from '../../core/clean-text.ts';
import type { DocumentType } from '../../core/media-types.ts';
import type { ArticleCore } from '../../core/published-article.ts';
import type { SeedProblem } from '../../core/seed-problem.ts';
import { type PackedSeeds, packSeeds, unpackSeeds } from './pack-seed-records.ts';

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
 * The build cache (`--cache-dir`, default `.cache/`): every seed's signature and core, and
 * every document's input hash and content hash (its body is in the store beside the state).
 * Safe to delete.
 * Anything that can change output and is not a seed — edgefeed's own code, flags, site
 * config, taxonomy — is folded into `key`; a different key means a cold build.
 */
export type BuildState = {
  key: string;
  seeds: Map<string, CachedSeed>;
  /** By path. */
  documents: Map<string, CachedDocument>;
};

const STATE_FILE = 'build-state.v8';

/** The state as written to disk: seed records packed into flat arrays. */
type StoredState = Omit<BuildState, 'seeds'> & { seeds: PackedSeeds };
const FORMAT = 'edgefeed-build-cache-4';

export function emptyState(key: string): BuildState {
  return { key, seeds: new Map(), documents: new Map() };
}

/** The cached state when it was written for the same key; otherwise an empty one. */
export function loadBuildState(cacheDir: string, key: string): BuildState {
  try {
    const stored = deserialize(readFileSync(join(cacheDir, STATE_FILE))) as StoredState;
    if (stored.key === key && stored.documents instanceof Map) {
      return {
        key,
        seeds: unpackSeeds(stored.seeds),
        documents: stored.documents,
      };
    }
  } catch {
    // missing, unreadable or from another version: start cold
  }
  return emptyState(key);
}

export function saveBuildState(cacheDir: string, state: BuildState): void {
  mkdirSync(cacheDir, { recursive: true });
  const temp = join(cacheDir, `${STATE_FILE}.${process.pid}.tmp`);
  const stored: StoredState = { ...state, seeds: packSeeds(state.seeds) };
  writeFileSync(temp, serialize(stored));
  renameSync(temp, join(cacheDir, STATE_FILE));
}

/** The cache key: edgefeed's code (every source file of the compiler) plus the inputs given. */
export function buildCacheKey(inputs: unknown): string {
  const h = createHash('sha256').update(FORMAT).update(JSON.stringify(inputs));
  for (const dir of ['../../core', '..']) {
    const abs = fileURLToPath(new URL(`${dir}/`, import.meta.url));
    const names = readdirSync(abs, { recursive: true, encoding: 'utf8' }).sort();
    for (const name of names) {
      if (name.endsWith('.ts')) h.update(name).update(readFileSync(join(abs, name)));
    }
  }
  return h.digest('hex');
}
