import { isArchivePath } from '../core/document-paths.ts';
import type { CachedDocument, CachedSeed } from './cache/build-cache.ts';
import type { SeedChange } from './compile-site.ts';

/**
 * What changed in sealed archive pages since the last build, and why. A sealed page's
 * bytes depend only on its items (RFC 5005 §4.1), so they change only when an article on
 * it, or older than it, is edited, added (backdated) or removed; a user should hear of
 * that, because readers that keep archives will not fetch the page again.
 */
export type SealedChanges = {
  /** Archive feed documents (one per page and format) whose bytes changed. */
  documents: number;
  /** Feeds with at least one such page. */
  feeds: number;
  /** Seeds, dated at or before the site's newest sealed item, that changed. */
  because: { edited: number; added: number; removed: number };
};

/**
 * Counts what changed in sealed pages. Cost is what the build changed, not the site: only
 * the documents it rendered can differ from the last build (the rest kept their bytes),
 * and only the seeds that changed can be why.
 */
export function reportSealedChanges(options: {
  prior: ReadonlyMap<string, CachedDocument>;
  next: ReadonlyMap<string, CachedDocument>;
  /** Paths this build rendered. */
  rendered: readonly string[];
  seedChanges: Iterable<SeedChange>;
  /** Epoch ms of the newest item in any sealed page of the site feed (-Infinity: none). */
  sealedThrough: number;
}): SealedChanges {
  const { prior, next, sealedThrough } = options;
  let documents = 0;
  const feeds = new Set<string>();
  for (const path of options.rendered) {
    const before = prior.get(path);
    if (before === undefined || before.hash === next.get(path)?.hash || !isArchivePath(path))
      continue;
    documents++;
    feeds.add(path.slice(0, path.indexOf('/archive/')));
  }
  const because = { edited: 0, added: 0, removed: 0 };
  const sealed = (seed: CachedSeed | undefined) =>
    seed?.status === 'valid' && seed.core.date <= sealedThrough;
  for (const { before, after } of options.seedChanges) {
    if (!(sealed(before) || sealed(after))) continue;
    if (before?.status === 'valid' && after?.status === 'valid') {
      // Touched is not edited: only an article published differently changes its items.
      if (before.content !== after.content || before.core.date !== after.core.date)
        because.edited++;
    } else if (after?.status === 'valid') because.added++;
    else because.removed++;
  }
  return { documents, feeds: feeds.size, because };
}

/** Every seed that is not as it was, comparing the last build's seeds with this one's. */
export function* diffSeeds(
  prior: ReadonlyMap<string, CachedSeed>,
  next: ReadonlyMap<string, CachedSeed>,
): Generator<SeedChange> {
  for (const [file, after] of next) {
    const before = prior.get(file);
    if (before?.signature !== after.signature) yield { before, after };
  }
  for (const [file, before] of prior) if (!next.has(file)) yield { before, after: undefined };
}
