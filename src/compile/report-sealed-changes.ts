import { isArchivePath } from '../core/document-paths.ts';
import type { CachedDocument, CachedSeed } from './cache/build-cache.ts';

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

export function reportSealedChanges(options: {
  prior: ReadonlyMap<string, CachedDocument>;
  next: ReadonlyMap<string, CachedDocument>;
  priorSeeds: ReadonlyMap<string, CachedSeed>;
  nextSeeds: ReadonlyMap<string, CachedSeed>;
  /** Epoch ms of the newest item in any sealed page of the site feed (-Infinity: none). */
  sealedThrough: number;
}): SealedChanges {
  const { prior, next, priorSeeds, nextSeeds, sealedThrough } = options;
  let documents = 0;
  const feeds = new Set<string>();
  for (const [path, doc] of next) {
    const before = prior.get(path);
    if (before === undefined || before.hash === doc.hash || !isArchivePath(path)) continue;
    documents++;
    feeds.add(path.slice(0, path.indexOf('/archive/')));
  }
  const because = { edited: 0, added: 0, removed: 0 };
  const sealed = (seed: CachedSeed | undefined) =>
    seed?.status === 'valid' && seed.core.date <= sealedThrough;
  for (const [file, seed] of nextSeeds) {
    const before = priorSeeds.get(file);
    if (before?.signature === seed.signature || !(sealed(before) || sealed(seed))) continue;
    if (before?.status === 'valid' && seed.status === 'valid') {
      // Touched is not edited: only an article published differently changes its items.
      if (before.content !== seed.content || before.core.date !== seed.core.date) because.edited++;
    } else if (seed.status === 'valid') because.added++;
    else because.removed++;
  }
  for (const [file, seed] of priorSeeds) {
    if (!nextSeeds.has(file) && sealed(seed)) because.removed++;
  }
  return { documents, feeds: feeds.size, because };
}
