// zod/mini: the list is the worker's own document, but it is checked before it is changed.
import * as z from 'zod/mini';

const FeedsListSchema = z.looseObject({
  feeds: z.array(z.looseObject({ urls: z.record(z.string(), z.string()) })),
});
type FeedsList = z.infer<typeof FeedsListSchema>;

/**
 * `/feeds.json` as parsed JSON, checked. The checked value itself is not used: zod rebuilds
 * objects with their known keys first, and the list's key order must stay the build's.
 */
function readFeedsList(list: string): FeedsList {
  const raw: unknown = JSON.parse(list);
  FeedsListSchema.parse(raw);
  return raw as FeedsList; // checked on the line above
}

/** Every subscription document URL `/feeds.json` names, in document order. */
export function feedsListTopics(list: string): string[] {
  return readFeedsList(list).feeds.flatMap((feed) => Object.values(feed.urls));
}

/**
 * `/feeds.json` with `"pushSubscribers": N` after each feed's `count`: the verified
 * subscriptions of its three documents together. Written the way the build writes the list
 * (two-space JSON and a newline), so only the added lines differ.
 */
export function addPushCountsToFeedsList(
  list: string,
  counts: ReadonlyMap<string, number>,
): string {
  const parsed = readFeedsList(list);
  const feeds = parsed.feeds.map((feed) => {
    const pushSubscribers = Object.values(feed.urls).reduce(
      (sum, url) => sum + (counts.get(url) ?? 0),
      0,
    );
    const entries = Object.entries(feed);
    const at = entries.findIndex(([key]) => key === 'count');
    entries.splice(at === -1 ? entries.length : at + 1, 0, ['pushSubscribers', pushSubscribers]);
    return Object.fromEntries(entries);
  });
  return `${JSON.stringify({ ...parsed, feeds }, null, 2)}\n`;
}
