import { countFollowers } from '../activitypub/followers.ts';
import { estimateReaders, RETURN_AFTER_MS, totalReaders } from './estimate-readers.ts';
import type { DayStats, GroupStats, StatsView } from './feed-stats.ts';
import type { ServedFeeds } from './served-feeds.ts';
import { feedFolder } from './subscription-path.ts';
import { lastDays } from './utc-day.ts';

/** Days each feed's history covers: `days` in /stats.json, the sparkline on /stats. */
export const HISTORY_DAYS = 30;

/** A row of `stats_days` (migrations/0002_stats.sql). */
export type DayRow = {
  path: string;
  day: string;
  requests: number;
  not_modified: number;
  too_many: number;
  bytes: number;
};

const DAYS = `SELECT path, day, requests, not_modified, too_many, bytes FROM stats_days WHERE day >= ?1`;
// A day's readers: each aggregator's largest count that day, every known reader, and the
// unknown ones that came back an hour later. WebSub has no history, so it is not in it.
const DAY_READERS = `SELECT path, day,
  SUM(CASE WHEN kind = 'aggregator' THEN coalesce(subscribers, 1) ELSE 1 END) AS n
FROM stats_readers WHERE day >= ?1 AND (kind <> 'unknown' OR last_seen - first_seen >= ?2)
GROUP BY path, day`;

/**
 * The statistics of every subscription document of the served build, listed even with no
 * requests at all, most readers first (then most requests, then by path); and per feed
 * group. Totals are over the same 30 days as `days`.
 */
export async function readFeedStats(
  db: D1Database,
  served: ServedFeeds,
  now: number,
): Promise<StatsView> {
  const dates = lastDays(now, HISTORY_DAYS);
  const first = dates[0] ?? '';
  const [dayRows, readerRows] = await db.batch<DayRow | { path: string; day: string; n: number }>([
    db.prepare(DAYS).bind(first),
    db.prepare(DAY_READERS).bind(first, RETURN_AFTER_MS),
  ]);
  const estimates = await estimateReaders(db, served, now);
  const followers = await countFollowers(db);
  const followersOf = (path: string) => followers.get(`${feedFolder(path)}actor`) ?? 0;

  const history = new Map<string, Map<string, DayStats>>();
  const dayOf = (path: string, date: string): DayStats | undefined => {
    const days = history.get(path);
    if (days === undefined) return undefined;
    let day = days.get(date);
    if (day === undefined) {
      day = { date, requests: 0, notModified: 0, tooManyRequests: 0, bytes: 0, readers: 0 };
      days.set(date, day);
    }
    return day;
  };
  for (const path of served.paths) history.set(path, new Map());
  for (const row of (dayRows?.results ?? []) as DayRow[]) {
    const day = dayOf(row.path, row.day);
    if (day === undefined) continue;
    day.requests = row.requests;
    day.notModified = row.not_modified;
    day.tooManyRequests = row.too_many;
    day.bytes = row.bytes;
  }
  for (const row of (readerRows?.results ?? []) as { path: string; day: string; n: number }[]) {
    const day = dayOf(row.path, row.day);
    if (day !== undefined) day.readers = row.n;
  }

  const feeds = served.paths.map((path) => {
    const days = dates.map(
      (date) =>
        dayOf(path, date) ?? {
          date,
          requests: 0,
          notModified: 0,
          tooManyRequests: 0,
          bytes: 0,
          readers: 0,
        },
    );
    const parts = estimates.byPath.get(path) ?? { aggregators: 0, others: 0, websub: 0 };
    return {
      path,
      readers: totalReaders(parts),
      followers: followersOf(path),
      requests: sum(days, 'requests'),
      notModified: sum(days, 'notModified'),
      tooManyRequests: sum(days, 'tooManyRequests'),
      bytes: sum(days, 'bytes'),
      days,
      parts,
    };
  });
  feeds.sort(byReaders);

  const groups = new Map<string, GroupStats>();
  for (const feed of feeds) {
    const folder = feedFolder(feed.path);
    let group = groups.get(folder);
    if (group === undefined) {
      const parts = estimates.byFolder.get(folder) ?? { aggregators: 0, others: 0, websub: 0 };
      group = {
        folder,
        readers: totalReaders(parts),
        followers: feed.followers,
        parts,
        requests: 0,
        notModified: 0,
        bytes: 0,
        feeds: [],
      };
      groups.set(folder, group);
    }
    group.requests += feed.requests;
    group.notModified += feed.notModified;
    group.bytes += feed.bytes;
    group.feeds.push({ path: feed.path, readers: feed.readers });
  }
  return { feeds, groups: [...groups.values()].sort(byReaders), now };
}

function sum(days: DayStats[], key: Exclude<keyof DayStats, 'date'>): number {
  let total = 0;
  for (const day of days) total += day[key];
  return total;
}

function byReaders(
  a: { readers: number; requests: number; path?: string; folder?: string },
  b: { readers: number; requests: number; path?: string; folder?: string },
): number {
  const nameA = a.path ?? a.folder ?? '';
  const nameB = b.path ?? b.folder ?? '';
  return (
    b.readers - a.readers || b.requests - a.requests || (nameA < nameB ? -1 : nameA > nameB ? 1 : 0)
  );
}
