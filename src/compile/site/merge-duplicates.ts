import type { ArticleCore } from '../../core/published-article.ts';

/**
 * One article per canonical URL: the newest record wins; on the same date, the later
 * file name (so the choice never depends on the order files were read in).
 */
export function mergeDuplicates<A extends ArticleCore>(
  articles: A[],
): {
  articles: A[];
  merged: number;
} {
  const byUrl = new Map<string, A>();
  for (const a of articles) {
    if (isNewerRecord(a, byUrl.get(a.url))) byUrl.set(a.url, a);
  }
  return { articles: [...byUrl.values()], merged: articles.length - byUrl.size };
}

/**
 * Which of two records of the same thing counts: the newer; on the same date, the later
 * file name, so the choice never depends on the order files were read in.
 */
export function isNewerRecord(a: ArticleCore, b: ArticleCore | undefined): boolean {
  return !b || a.date > b.date || (a.date === b.date && a.file > b.file);
}

/**
 * A feed's order, oldest first by (date, id): the order RFC 5005 archive pages are cut
 * from, so page k always holds the same items however many newer ones arrive. The id (the
 * canonical URL) breaks ties, so the order is total and reproducible.
 */
export function compareOldestFirst(a: ArticleCore, b: ArticleCore): number {
  return a.date - b.date || (a.url < b.url ? -1 : a.url > b.url ? 1 : 0);
}
