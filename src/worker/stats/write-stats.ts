import { type DailySalts, hashReader } from './daily-salts.ts';
import { aggregatorIdentity, classifyUserAgent, type ReaderClass } from './known-readers.ts';
import type { StatsBatch } from './stats-buffer.ts';
import { feedFolder } from './subscription-path.ts';
import { addDays, utcDay } from './utc-day.ts';

/** Days of statistics kept, today included; older rows are deleted. */
export const RETENTION_DAYS = 90;

type ReaderRow = {
  path: string;
  day: string;
  reader: string;
  kind: 'aggregator' | 'reader' | 'unknown';
  client: string | null;
  subscribers: number | null;
  firstSeen: number;
  lastSeen: number;
};

export type WriteStatsOptions = {
  salts: DailySalts;
  /** Epoch ms; decides what retention deletes. */
  now: number;
  /** Also delete what is older than the retention (done once a day per isolate). */
  prune: boolean;
};

const ADD_COUNTS = `INSERT INTO stats_days (path, day, requests, not_modified, too_many, bytes)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (path, day) DO UPDATE SET requests = requests + excluded.requests,
  not_modified = not_modified + excluded.not_modified, too_many = too_many + excluded.too_many,
  bytes = bytes + excluded.bytes`;

const ADD_READER = `INSERT INTO stats_readers
  (path, day, reader, feed, kind, client, subscribers, first_seen, last_seen)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT (path, day, reader) DO UPDATE SET
  subscribers = CASE WHEN excluded.subscribers IS NULL THEN subscribers
    ELSE max(coalesce(subscribers, 0), excluded.subscribers) END,
  first_seen = min(first_seen, excluded.first_seen), last_seen = max(last_seen, excluded.last_seen)`;

/**
 * Writes one batch to D1 in one transaction (`batch`): counts are added to the day's
 * row, and each client becomes a reader identity (known-readers.ts): an aggregator by its
 * User-Agent less its count, anything else by a salted hash of address and User-Agent.
 * Crawlers add to the counts only. Addresses go no further than this function.
 */
export async function writeStats(
  db: D1Database,
  batch: StatsBatch,
  options: WriteStatsOptions,
): Promise<void> {
  const classes = new Map<string, ReaderClass>();
  const needSalt = new Set<string>();
  for (const sighting of batch.sightings) {
    let found = classes.get(sighting.userAgent);
    if (found === undefined) {
      found = classifyUserAgent(sighting.userAgent);
      classes.set(sighting.userAgent, found);
    }
    if (found.kind === 'reader' || found.kind === 'unknown') needSalt.add(sighting.day);
  }
  const salts = needSalt.size === 0 ? new Map() : await options.salts.saltsFor(db, [...needSalt]);

  const readers = new Map<string, ReaderRow>();
  for (const sighting of batch.sightings) {
    const found = classes.get(sighting.userAgent) ?? classifyUserAgent(sighting.userAgent);
    if (found.kind === 'crawler') continue;
    const row: ReaderRow = {
      path: sighting.path,
      day: sighting.day,
      reader: '',
      kind: found.kind,
      client: found.kind === 'unknown' ? null : found.client,
      subscribers: found.kind === 'aggregator' ? found.subscribers : null,
      firstSeen: sighting.firstSeen,
      lastSeen: sighting.lastSeen,
    };
    if (found.kind === 'aggregator') {
      row.reader = `a:${aggregatorIdentity(sighting.userAgent)}`;
    } else {
      const salt = salts.get(sighting.day) ?? '';
      row.reader = await hashReader(salt, sighting.address, sighting.userAgent);
    }
    mergeReader(readers, row);
  }

  const statements = batch.counts.map((c) =>
    db
      .prepare(ADD_COUNTS)
      .bind(c.path, c.day, c.requests, c.notModified, c.tooManyRequests, c.bytes),
  );
  for (const r of readers.values()) {
    statements.push(
      db
        .prepare(ADD_READER)
        .bind(
          r.path,
          r.day,
          r.reader,
          feedFolder(r.path),
          r.kind,
          r.client,
          r.subscribers,
          r.firstSeen,
          r.lastSeen,
        ),
    );
  }
  if (options.prune) statements.push(...pruneStatements(db, options.now));
  if (statements.length > 0) await db.batch(statements);
}

/** One row per identity: one aggregator seen from several addresses is one reader. */
function mergeReader(readers: Map<string, ReaderRow>, row: ReaderRow): void {
  const key = `${row.path}\n${row.day}\n${row.reader}`;
  const known = readers.get(key);
  if (known === undefined) {
    readers.set(key, row);
    return;
  }
  known.firstSeen = Math.min(known.firstSeen, row.firstSeen);
  known.lastSeen = Math.max(known.lastSeen, row.lastSeen);
  if (row.subscribers !== null)
    known.subscribers = Math.max(known.subscribers ?? 0, row.subscribers);
}

/**
 * Retention: rows of the last RETENTION_DAYS days are kept, older ones deleted; salts are
 * kept for today and yesterday only (a batch written just after midnight still needs
 * yesterday's).
 */
export function pruneStatements(db: D1Database, now: number): D1PreparedStatement[] {
  const today = utcDay(now);
  const oldestKept = addDays(today, -(RETENTION_DAYS - 1));
  return [
    db.prepare('DELETE FROM stats_days WHERE day < ?1').bind(oldestKept),
    db.prepare('DELETE FROM stats_readers WHERE day < ?1').bind(oldestKept),
    db.prepare('DELETE FROM stats_salts WHERE day < ?1').bind(addDays(today, -1)),
  ];
}
