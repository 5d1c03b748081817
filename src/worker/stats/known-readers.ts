/**
 * Who is fetching, from the User-Agent alone: the one table of feed readers edgefeed knows.
 *
 * - Aggregators fetch once for all their users and say how many there are in the
 *   User-Agent (`Feedly/1.0 (+http://www.feedly.com/fetcher.html; 134 subscribers; …)`),
 *   the convention FeedBurner's reports were built on. A known aggregator that names no
 *   count stands for one subscriber.
 * - Self-hosted and desktop readers are one person each (a multi-user server such as
 *   FreshRSS or CommaFeed sends one fetch for all its users, but says nothing of them).
 * - Search and AI crawlers fetch feeds too; they are nobody's reader.
 * Anything else is unknown, and counts only once it comes back an hour later (see
 * estimate-readers.ts), so one-off fetches do not inflate the number.
 */

export type ReaderClass =
  | { kind: 'aggregator'; client: string | null; subscribers: number; feedId: string | null }
  | { kind: 'reader'; client: string }
  | { kind: 'crawler'; client: string }
  | { kind: 'unknown' };

type Known = { client: string; pattern: RegExp };

/** Aggregators that report subscribers; first match wins (Feedly says "like FeedFetcher-Google"). */
export const AGGREGATORS: readonly Known[] = [
  { client: 'Feedly', pattern: /^Feedly(?:Bot)?\// },
  { client: 'Inoreader', pattern: /^Inoreader\// },
  { client: 'NewsBlur', pattern: /^NewsBlur Feed Fetcher\b/ },
  { client: 'Feedbin', pattern: /^Feedbin\b/ },
  { client: 'The Old Reader', pattern: /\btheoldreader\.com\b/ },
  { client: 'Netvibes', pattern: /^Netvibes\b/ },
  { client: 'Bloglovin', pattern: /^Bloglovin\// },
  { client: 'BazQux', pattern: /^BazQux\// },
  { client: 'Feedfetcher-Google', pattern: /^Feedfetcher-Google\b/ },
  { client: 'Feed Wrangler', pattern: /^Feed Wrangler\// },
  { client: 'FeedHQ', pattern: /^FeedHQ\b/ },
  { client: 'Feedspot', pattern: /\bFeedspot\b/ },
  { client: 'Superfeedr', pattern: /^Superfeedr\b/ },
  { client: 'Digg Feed Fetcher', pattern: /^Digg Feed Fetcher\b/ },
  { client: 'Bloglines', pattern: /^Bloglines\// },
  { client: 'NewsGator', pattern: /^NewsGator(?:Online)?\// },
];

/** Self-hosted, desktop and mobile readers, and the feed-parsing library many scripts use. */
export const READERS: readonly Known[] = [
  { client: 'Miniflux', pattern: /\bMiniflux\//i },
  { client: 'FreshRSS', pattern: /\bFreshRSS\//i },
  { client: 'Tiny Tiny RSS', pattern: /\bTiny Tiny RSS\//i },
  { client: 'Nextcloud News', pattern: /\bNext[Cc]loud[- ]News\b/ },
  { client: 'NetNewsWire', pattern: /\bNetNewsWire\b/ },
  { client: 'Newsboat', pattern: /\b(?:Newsboat|newsbeuter)\//i },
  { client: 'Thunderbird', pattern: /\bThunderbird\// },
  { client: 'NewsFlash', pattern: /\bNewsFlash\b/ },
  { client: 'Liferea', pattern: /\bLiferea\// },
  { client: 'Vienna', pattern: /^Vienna\// },
  { client: 'ReadKit', pattern: /\bReadKit\// },
  { client: 'Reeder', pattern: /\bReeder\// },
  { client: 'QuiteRSS', pattern: /\bQuiteRSS\// },
  { client: 'RSS Guard', pattern: /\bRSS ?Guard\b/ },
  { client: 'Akregator', pattern: /\bAkregator\b/ },
  { client: 'Fluent Reader', pattern: /\bfluent-reader\//i },
  { client: 'Elfeed', pattern: /\bElfeed\b/ },
  { client: 'rss2email', pattern: /\brss2email\// },
  { client: 'selfoss', pattern: /\bselfoss\b/i },
  { client: 'CommaFeed', pattern: /\bCommaFeed\b/ },
  { client: 'Universal Feed Parser', pattern: /\bUniversalFeedParser\// },
];

/** Crawlers that index feeds for search or training: counted in requests, never as readers. */
export const CRAWLERS: readonly Known[] = [
  { client: 'Googlebot', pattern: /\bGooglebot\b/ },
  { client: 'Bingbot', pattern: /\bbingbot\b/i },
  { client: 'Applebot', pattern: /\bApplebot\b/ },
  { client: 'YandexBot', pattern: /\bYandexBot\b/ },
  { client: 'Baiduspider', pattern: /\bBaiduspider\b/ },
  { client: 'DuckDuckBot', pattern: /\bDuckDuckBot\b/ },
  { client: 'GPTBot', pattern: /\bGPTBot\b/ },
  { client: 'ClaudeBot', pattern: /\bClaudeBot\b/ },
  { client: 'CCBot', pattern: /\bCCBot\b/ },
  { client: 'AhrefsBot', pattern: /\bAhrefsBot\b/ },
  { client: 'SemrushBot', pattern: /\bSemrushBot\b/ },
];

/** "134 subscribers", "1 subscriber", "7 readers": the count every aggregator above uses. */
const SUBSCRIBER_COUNT = /\b(\d{1,9}) (?:subscribers?|readers?)\b/i;

/** Feed ids: Feedbin `feed-id:123`, Google and The Old Reader `feed-id=…`, Netvibes `feedID: 123`, NewsBlur `/site/123/`. */
const FEED_ID = /\bfeed-?id[:=] ?([\w-]{1,64})|\/site\/(\d{1,12})\b/i;

/** Looks longer User-Agents up by their first 512 characters only. */
const MAX_LENGTH = 512;

/** What the table says about a User-Agent. */
export function classifyUserAgent(userAgent: string): ReaderClass {
  const ua = userAgent.slice(0, MAX_LENGTH);
  const count = SUBSCRIBER_COUNT.exec(ua);
  const aggregator = AGGREGATORS.find((known) => known.pattern.test(ua));
  if (aggregator !== undefined || count !== null) {
    return {
      kind: 'aggregator',
      client: aggregator?.client ?? null,
      subscribers: count === null ? 1 : Number(count[1]),
      feedId: feedIdOf(ua),
    };
  }
  const crawler = CRAWLERS.find((known) => known.pattern.test(ua));
  if (crawler !== undefined) return { kind: 'crawler', client: crawler.client };
  const reader = READERS.find((known) => known.pattern.test(ua));
  if (reader !== undefined) return { kind: 'reader', client: reader.client };
  return { kind: 'unknown' };
}

/**
 * An aggregator's identity: its User-Agent with the digits of its count removed, so one
 * fetcher reporting 134 and then 136 is one subscriber list. The feed id an aggregator
 * puts in its User-Agent stays in, so two of its feeds for one URL stay two.
 */
export function aggregatorIdentity(userAgent: string): string {
  const ua = userAgent.slice(0, MAX_LENGTH);
  const count = SUBSCRIBER_COUNT.exec(ua);
  if (count === null) return ua;
  const digits = count[1] ?? '';
  return ua.slice(0, count.index) + ua.slice(count.index + digits.length);
}

function feedIdOf(ua: string): string | null {
  const match = FEED_ID.exec(ua);
  return match === null ? null : (match[1] ?? match[2] ?? null);
}
