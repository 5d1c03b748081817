import { describe, expect, it } from 'vitest';
import {
  AGGREGATORS,
  aggregatorIdentity,
  CRAWLERS,
  classifyUserAgent,
  READERS,
} from '../../src/worker/stats/known-readers.ts';

// One real-looking User-Agent per known reader: what each sends when it fetches a feed.
const AGGREGATOR_AGENTS: [
  client: string,
  ua: string,
  subscribers: number,
  feedId: string | null,
][] = [
  [
    'Feedly',
    'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 134 subscribers; like FeedFetcher-Google)',
    134,
    null,
  ],
  ['Inoreader', 'Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 3 subscribers; )', 3, null],
  [
    'NewsBlur',
    'NewsBlur Feed Fetcher - 7 subscribers - https://www.newsblur.com/site/6348612/edgefeed (Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15)',
    7,
    '6348612',
  ],
  ['Feedbin', 'Feedbin feed-id:1373711 - 45 subscribers', 45, '1373711'],
  [
    'The Old Reader',
    'Mozilla/5.0 (compatible; theoldreader.com; 12 subscribers; feed-id=0f2e3d4c5b6a79880f2e3d4c)',
    12,
    '0f2e3d4c5b6a79880f2e3d4c',
  ],
  [
    'Netvibes',
    'Netvibes (https://www.netvibes.com/; 4 subscribers; feedID: 39045453)',
    4,
    '39045453',
  ],
  ['Bloglovin', 'Bloglovin/1.0 (http://www.bloglovin.com; 1234 subscribers)', 1234, null],
  ['BazQux', 'BazQux/2.4 (+https://bazqux.com/fetcher; 5 subscribers)', 5, null],
  [
    'Feedfetcher-Google',
    'Feedfetcher-Google; (+http://www.google.com/feedfetcher.html; 9 subscribers; feed-id=2741618230717593612)',
    9,
    '2741618230717593612',
  ],
  [
    'Feed Wrangler',
    'Feed Wrangler/1.0 (2 subscribers; feed-id=12345; http://feedwrangler.net; Allow like Gecko)',
    2,
    '12345',
  ],
  ['FeedHQ', 'FeedHQ (https://feedhq.org/); 1 subscriber', 1, null],
  [
    'Feedspot',
    'Mozilla/5.0 (compatible; Feedspot/1.0 (+https://www.feedspot.com/fs/fetcher; like FeedFetcher-Google)',
    1,
    null,
  ],
  [
    'Superfeedr',
    'Superfeedr bot/2.0 http://superfeedr.com - Make your feeds realtime: get in touch - feed-id:46271263',
    1,
    '46271263',
  ],
  [
    'Digg Feed Fetcher',
    'Digg Feed Fetcher 1.0 (Digg/1.0; +http://digg.com; 17 subscribers)',
    17,
    null,
  ],
  ['Bloglines', 'Bloglines/3.1 (http://www.bloglines.com; 21 subscribers)', 21, null],
  ['NewsGator', 'NewsGatorOnline/2.0 (http://www.newsgator.com; 6 subscribers)', 6, null],
];

const READER_AGENTS: [client: string, ua: string][] = [
  ['Miniflux', 'Mozilla/5.0 (compatible; Miniflux/2.2.3; +https://miniflux.app)'],
  ['FreshRSS', 'FreshRSS/1.24.3 (Linux; https://freshrss.org)'],
  ['Tiny Tiny RSS', 'Tiny Tiny RSS/24.09-4f5e6d7 (https://tt-rss.org/)'],
  ['Nextcloud News', 'NextCloud-News/1.0'],
  ['NetNewsWire', 'NetNewsWire (RSS Reader; https://netnewswire.com/)'],
  ['Newsboat', 'Newsboat/2.37.0 (Linux x86_64)'],
  ['Thunderbird', 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.5.2'],
  ['NewsFlash', 'NewsFlash/3.3.5 (Linux; https://gitlab.com/news-flash/news_flash_gtk)'],
  ['Liferea', 'Liferea/1.15.8 (Linux; en_US.UTF-8; https://lzone.de/liferea/)'],
  ['Vienna', 'Vienna/3.9.4'],
  ['ReadKit', 'ReadKit/3.6.2 (Macintosh; macOS 14.5)'],
  ['Reeder', 'Reeder/5.4 CFNetwork/1496.0.7 Darwin/23.5.0'],
  [
    'QuiteRSS',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/538.1 (KHTML, like Gecko) QuiteRSS/0.19.4 Safari/538.1',
  ],
  ['RSS Guard', 'Mozilla/5.0 (X11; Linux x86_64) RSS Guard/4.7.4'],
  ['Akregator', 'Akregator/6.2.3; syndication'],
  [
    'Fluent Reader',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) fluent-reader/1.1.4 Chrome/120.0.6099.56 Electron/28.0.0 Safari/537.36',
  ],
  ['Elfeed', 'Emacs Elfeed 3.4.2'],
  ['rss2email', 'rss2email/3.14 (https://github.com/rss2email/rss2email)'],
  ['selfoss', 'Selfoss/2.19 (+https://selfoss.aditu.de)'],
  ['CommaFeed', 'CommaFeed/5.3.1 (https://github.com/Athou/commafeed)'],
  ['Universal Feed Parser', 'UniversalFeedParser/6.0.11 +https://github.com/kurtmckee/feedparser/'],
];

const CRAWLER_AGENTS: [client: string, ua: string][] = [
  ['Googlebot', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
  ['Bingbot', 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)'],
  [
    'Applebot',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
  ],
  ['YandexBot', 'Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)'],
  [
    'Baiduspider',
    'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
  ],
  ['DuckDuckBot', 'DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)'],
  [
    'GPTBot',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; +https://openai.com/gptbot)',
  ],
  [
    'ClaudeBot',
    'Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)',
  ],
  ['CCBot', 'CCBot/2.0 (https://commoncrawl.org/faq/)'],
  ['AhrefsBot', 'Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)'],
  ['SemrushBot', 'Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)'],
];

describe('the User-Agent table', () => {
  it.each(AGGREGATOR_AGENTS)(
    'knows %s as an aggregator and reads its count',
    (client, ua, subscribers, feedId) => {
      expect(classifyUserAgent(ua)).toEqual({ kind: 'aggregator', client, subscribers, feedId });
    },
  );

  it.each(READER_AGENTS)('counts %s as one reader', (client, ua) => {
    expect(classifyUserAgent(ua)).toEqual({ kind: 'reader', client });
  });

  it.each(CRAWLER_AGENTS)('never counts %s as a reader', (client, ua) => {
    expect(classifyUserAgent(ua)).toEqual({ kind: 'crawler', client });
  });

  it('has a test above for every entry of the table', () => {
    const tested = new Set(
      [...AGGREGATOR_AGENTS, ...READER_AGENTS, ...CRAWLER_AGENTS].map(([client]) => client),
    );
    const listed = [...AGGREGATORS, ...READERS, ...CRAWLERS].map((known) => known.client);
    expect(listed.filter((client) => !tested.has(client))).toEqual([]);
  });

  it('takes any User-Agent that reports subscribers for an aggregator, unnamed', () => {
    expect(
      classifyUserAgent('RssBandit-Cloud/0.3 (https://example.net/bot; 28 subscribers)'),
    ).toEqual({
      kind: 'aggregator',
      client: null,
      subscribers: 28,
      feedId: null,
    });
  });

  it.each([
    'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0',
    'curl/8.11.0',
    'python-requests/2.32.3',
    'Go-http-client/2.0',
    '',
  ])('does not know %j', (ua) => {
    expect(classifyUserAgent(ua)).toEqual({ kind: 'unknown' });
  });
});

describe('the identity rule for aggregators', () => {
  it('is the User-Agent without the digits of its count: 134 and then 136 subscribers are one list', () => {
    const before = aggregatorIdentity(
      'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 134 subscribers; like FeedFetcher-Google)',
    );
    const after = aggregatorIdentity(
      'Feedly/1.0 (+http://www.feedly.com/fetcher.html; 136 subscribers; like FeedFetcher-Google)',
    );
    expect(before).toBe(after);
    expect(before).toBe(
      'Feedly/1.0 (+http://www.feedly.com/fetcher.html;  subscribers; like FeedFetcher-Google)',
    );
  });

  it('keeps the feed id, so one aggregator with two feeds for a URL is two lists', () => {
    expect(aggregatorIdentity('Feedbin feed-id:1373711 - 45 subscribers')).not.toBe(
      aggregatorIdentity('Feedbin feed-id:2280001 - 45 subscribers'),
    );
  });

  it('keeps other digits (versions, ids) where they are', () => {
    expect(aggregatorIdentity('BazQux/2.4 (+https://bazqux.com/fetcher; 5 subscribers)')).toBe(
      'BazQux/2.4 (+https://bazqux.com/fetcher;  subscribers)',
    );
  });

  it('tells two aggregators apart', () => {
    expect(
      aggregatorIdentity('Inoreader/1.0 (+http://www.inoreader.com/feed-fetcher; 3 subscribers; )'),
    ).not.toBe(aggregatorIdentity('Bloglovin/1.0 (http://www.bloglovin.com; 3 subscribers)'));
  });
});
