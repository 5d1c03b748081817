// Made-up reader statistics for the /stats screenshot: 30 days of history, today's morning
// included, as SQL for `wrangler d1 execute --file`, in the rows the worker writes
// (migrations/0002_stats.sql), so the sparklines have something to draw.

const FEEDLY_IDENTITY =
  'a:Feedly/1.0 (+http://www.feedly.com/fetcher.html;  subscribers; like FeedFetcher-Google)';
const INOREADER_IDENTITY =
  'a:Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher;  subscribers; )';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Three feeds, none of them /rss.xml or /feed.json (whose numbers the end-to-end test
 * checks): requests, 304s, a few 429s and bytes per day, Feedly growing, Inoreader steady
 * and a few self-hosted readers. `now` decides which days these are.
 */
const FEEDS = [
  { path: '/atom.xml', feed: '/', feedly: 38, inoreader: 6, readers: 4, requests: 220 },
  {
    path: '/topics/ai/rss.xml',
    feed: '/topics/ai/',
    feedly: 12,
    inoreader: 0,
    readers: 2,
    requests: 80,
  },
  {
    path: '/providers/example.com/feed.json',
    feed: '/providers/example.com/',
    feedly: 0,
    inoreader: 3,
    readers: 1,
    requests: 30,
  },
];

export const HISTORY_PATHS = FEEDS.map((f) => f.path);

export function statsHistorySql(now: number): string {
  const today = Date.parse(`${new Date(now).toISOString().slice(0, 10)}T00:00:00Z`);
  const lines: string[] = [];
  for (let ago = 29; ago >= 0; ago--) {
    const start = today - ago * DAY_MS;
    const day = new Date(start).toISOString().slice(0, 10);
    const growth = (29 - ago) / 29;
    for (const f of FEEDS) {
      const share = ago === 0 ? Math.min(1, (now - start) / DAY_MS) : 1;
      const requests = Math.round(share * f.requests * (0.85 + 0.3 * Math.abs(Math.sin(ago))));
      const notModified = Math.round(requests * 0.7);
      const tooMany = ago % 9 === 0 ? 2 : 0;
      const bytes = (requests - notModified) * 2400;
      lines.push(
        `INSERT INTO stats_days (path, day, requests, not_modified, too_many, bytes) VALUES (${sql(f.path, day, requests, notModified, tooMany, bytes)});`,
      );
      const rows: [string, string, string, number | null][] = [];
      if (f.feedly > 0) {
        rows.push([
          FEEDLY_IDENTITY,
          'aggregator',
          'Feedly',
          Math.round(f.feedly * (0.8 + 0.3 * growth)),
        ]);
      }
      if (f.inoreader > 0) rows.push([INOREADER_IDENTITY, 'aggregator', 'Inoreader', f.inoreader]);
      for (let i = 0; i < f.readers + (ago % 4 === 0 ? 1 : 0); i++) {
        rows.push([`seed-${f.path}-${day}-${i}`, 'reader', 'Miniflux', null]);
      }
      const lastSeen = Math.min(start + 20 * HOUR_MS, now - 60_000);
      const firstSeen = Math.min(start + HOUR_MS, lastSeen);
      for (const [reader, kind, client, subscribers] of rows) {
        lines.push(
          `INSERT INTO stats_readers (path, day, reader, feed, kind, client, subscribers, first_seen, last_seen) VALUES (${sql(f.path, day, reader, f.feed, kind, client, subscribers, firstSeen, lastSeen)});`,
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/** SQL literals (SQLite: strings in single quotes, a quote doubled). */
function sql(...values: (string | number | null)[]): string {
  return values
    .map((value) => {
      if (value === null) return 'NULL';
      if (typeof value === 'number') return String(value);
      return `'${value.replaceAll("'", "''")}'`;
    })
    .join(', ');
}
