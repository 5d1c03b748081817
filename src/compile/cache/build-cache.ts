import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { TextStats } from '../../core/clean-text.ts';
import type { DocumentMetadata } from '../../core/document-record.ts';
import type { ArticleCore } from '../../core/published-article.ts';
import type { SeedProblem } from '../../core/seed-problem.ts';
import { type PackedSeeds, packSeeds, unpackSeeds } from './pack-seed-records.ts';

/** What the cache remembers of a seed: enough to regroup without reading it. */
export type CachedSeed =
  | { signature: string; status: 'valid'; core: ArticleCore; text: TextStats }
  | { signature: string; status: 'unpublished' }
  | { signature: string; status: 'invalid'; problems: SeedProblem[] };

/** Where a document's line sits in the bundle file the cache describes. */
export type CachedDocument = {
  inputHash: string;
  offset: number;
  length: number;
  metadata: DocumentMetadata;
  bytes: number;
};

/**
 * The build cache (`--cache-dir`, default `.cache/`): every seed's signature and core, and
 * every document's input hash and place in the last kv-bundle.json. Safe to delete.
 * Anything that can change output and is not a seed — edgefeed's own code, flags, site
 * config, taxonomy — is folded into `key`; a different key means a cold build.
 */
export type BuildState = {
  key: string;
  seeds: Map<string, CachedSeed>;
  documents: Map<string, CachedDocument>;
  /** The bundle file the document offsets refer to, as it was when written. */
  bundle: { path: string; size: number; mtimeNs: string } | undefined;
};

const STATE_FILE = 'build-state.v8';

/** The state as written to disk: seed records packed into flat arrays. */
type StoredState = Omit<BuildState, 'seeds'> & { seeds: PackedSeeds };
const FORMAT = 'edgefeed-build-cache-2';

export function emptyState(key: string): BuildState {
  return { key, seeds: new Map(), documents: new Map(), bundle: undefined };
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
        bundle: stored.bundle,
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
