import type { ReaderParts } from './feed-stats.ts';
import type { ServedFeeds } from './served-feeds.ts';
import { feedFolder } from './subscription-path.ts';
import { DAY_MS, HOUR_MS } from './utc-day.ts';

/** An aggregator's count stands for this long after it last reported it. */
export const AGGREGATOR_WINDOW_MS = 3 * DAY_MS;
/** Other readers count while they have fetched within this window. */
export const READER_WINDOW_MS = DAY_MS;
/** An unknown User-Agent counts only once it has come back this long after its first fetch. */
export const RETURN_AFTER_MS = HOUR_MS;

export type Estimates = {
  byPath: Map<string, ReaderParts>;
  /** Per feed group (folder): aggregators and WebSub summed, other readers counted once. */
  byFolder: Map<string, ReaderParts>;
};

// Each aggregator identity's largest count in the window, summed per document.
const AGGREGATORS = `SELECT path, SUM(top) AS n FROM (
  SELECT path, reader, MAX(subscribers) AS top FROM stats_readers
  WHERE kind = 'aggregator' AND last_seen > ?1 GROUP BY path, reader
) GROUP BY path`;

// Readers that count: known ones at once, unknown ones once they came back an hour later.
const COUNTED = `kind <> 'aggregator' AND last_seen > ?1 AND (kind = 'reader' OR last_seen - first_seen >= ?2)`;

// A reader's hash changes with the daily salt, so one reader seen on both sides of
// midnight is two rows: the distinct readers of each day in the window are counted, and
// the larger day stands for the window, never the sum.
const OTHERS_BY_PATH = `SELECT path AS k, MAX(n) AS n FROM (
  SELECT path, day, COUNT(*) AS n FROM stats_readers WHERE ${COUNTED} GROUP BY path, day
) GROUP BY path`;
const OTHERS_BY_FOLDER = `SELECT feed AS k, MAX(n) AS n FROM (
  SELECT feed, day, COUNT(DISTINCT reader) AS n FROM stats_readers WHERE ${COUNTED} GROUP BY feed, day
) GROUP BY feed`;

/**
 * The estimate of readers per subscription document and per feed group, now: the sum over
 * aggregator identities of each one's largest reported count in the last 3 days, plus the
 * distinct other readers of the last 24 hours, plus the hub's verified WebSub
 * subscriptions of the document's topic URL. Three queries in one D1 batch, one more for
 * WebSub.
 */
export async function estimateReaders(
  db: D1Database,
  served: ServedFeeds,
  now: number,
): Promise<Estimates> {
  const [aggregators, othersByPath, othersByFolder] = await db.batch<{
    path?: string;
    k?: string;
    n: number;
  }>([
    db.prepare(AGGREGATORS).bind(now - AGGREGATOR_WINDOW_MS),
    db.prepare(OTHERS_BY_PATH).bind(now - READER_WINDOW_MS, RETURN_AFTER_MS),
    db.prepare(OTHERS_BY_FOLDER).bind(now - READER_WINDOW_MS, RETURN_AFTER_MS),
  ]);
  const websub = await countSubscriptions(db, now);
  const byPath = new Map<string, ReaderParts>();
  const byFolder = new Map<string, ReaderParts>();
  for (const path of served.paths) {
    byPath.set(path, { aggregators: 0, others: 0, websub: websub.get(served.siteUrl + path) ?? 0 });
    byFolder.set(feedFolder(path), { aggregators: 0, others: 0, websub: 0 });
  }
  for (const row of aggregators?.results ?? []) {
    const parts = byPath.get(row.path ?? '');
    if (parts !== undefined) parts.aggregators = row.n;
  }
  for (const row of othersByPath?.results ?? []) {
    const parts = byPath.get(row.k ?? '');
    if (parts !== undefined) parts.others = row.n;
  }
  for (const [path, parts] of byPath) {
    const group = byFolder.get(feedFolder(path));
    if (group === undefined) continue;
    group.aggregators += parts.aggregators;
    group.websub += parts.websub;
  }
  for (const row of othersByFolder?.results ?? []) {
    const group = byFolder.get(row.k ?? '');
    if (group !== undefined) group.others = row.n;
  }
  return { byPath, byFolder };
}

export function totalReaders(parts: ReaderParts): number {
  return parts.aggregators + parts.others + parts.websub;
}

/**
 * Verified WebSub subscriptions per topic URL, from the hub's table (W3C WebSub §5.1:
 * a subscription counts once verified and until it expires or is unsubscribed); the
 * grouped form of `SELECT COUNT(*) FROM subscriptions WHERE topic = ?1 AND expires_at > ?2`.
 * No table yet (the hub's migration not applied) is no subscriptions.
 */
export async function countSubscriptions(
  db: D1Database,
  now: number,
): Promise<Map<string, number>> {
  try {
    const { results } = await db
      .prepare(
        'SELECT topic, COUNT(*) AS n FROM subscriptions WHERE expires_at > ?1 GROUP BY topic',
      )
      .bind(now)
      .all<{ topic: string; n: number }>();
    return new Map(results.map((row) => [row.topic, row.n]));
  } catch (error) {
    if (/no such table: subscriptions/.test(String(error))) return new Map();
    throw error;
  }
}
