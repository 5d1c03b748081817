import { FEED_FORMATS } from '../../core/document-paths.ts';
import { countFollowersOf } from '../activitypub/followers.ts';
import type { WorkerBindings } from '../bindings.ts';
import { countSubscriptionsByTopic } from '../hub/subscriptions.ts';
import { readPointer, resolvePointerSeconds } from '../store/read-pointer.ts';
import { addPushCountsToFeedsList, feedsListTopics } from './feeds-list-counts.ts';
import { fillPushCount } from './fill-push-count.ts';

/** Pages and lists that show counts are cached at most this long (a count is a minute old). */
export const PUSH_COUNT_MAX_AGE = 60;

/**
 * The number of verified, unexpired WebSub subscriptions, put into a stored document on its
 * way out: a scope's HTML page (`/`, `/topics/{slug}/`, `/providers/{domain}/`) says "N push
 * subscribers" (its three subscription documents together) in the build's placeholder, and
 * `/feeds.json` gains `"pushSubscribers": N` on each feed. Such a response's ETag becomes
 * `"<hash>-<digest of the counts>"`, so it changes exactly when the bytes do (RFC 9110
 * §8.8.3), and it may be cached for at most a minute. With no subscriber at all the response
 * is left as stored (the placeholder stays hidden), so a site nobody subscribes to by push
 * is served byte for byte as built (and as `--export` writes it). Any other path or status,
 * no D1 binding, or a failed count leaves the response as it was too: counts never break a
 * page.
 */
export async function injectPushCounts(
  path: string,
  response: Response,
  env: WorkerBindings,
  now = Date.now(),
): Promise<Response> {
  const scope = pageScope(path);
  const isList = path === '/feeds.json';
  if ((scope === undefined && !isList) || response.status !== 200 || response.body === null) {
    return response;
  }
  const { DB: db, FEEDS: kv } = env;
  if (db === undefined || kv === undefined) return response;
  try {
    if (isList) {
      const list = await response.clone().text();
      const topics = feedsListTopics(list);
      const counts = await countSubscriptionsByTopic(db, topics, now);
      if (counts.size === 0) return response;
      const body = addPushCountsToFeedsList(list, counts);
      return withCounts(new Response(body, response), await digestOf(topics, counts));
    }
    const pointer = await readPointer(kv, resolvePointerSeconds(env.BUILD_POINTER_SECONDS));
    if (pointer.state !== 'loaded' || scope === undefined) return response;
    const topics = FEED_FORMATS.map((format) => `${pointer.build.siteUrl}${scope}/${format}`);
    const counts = await countSubscriptionsByTopic(db, topics, now);
    const total = topics.reduce((sum, topic) => sum + (counts.get(topic) ?? 0), 0);
    // ActivityPub followers of the feed's actor (docs/activitypub.md), said in the same place.
    const followers = await countFollowersOf(db, `${scope}/actor`).catch(() => 0);
    if (total === 0 && followers === 0) return response;
    counts.set('followers', followers);
    const digest = await digestOf([...topics, 'followers'], counts);
    return withCounts(fillPushCount(response, scope, total, followers), digest);
  } catch (error) {
    console.warn(`edgefeed: push counts for ${path} left out`, error);
    return response;
  }
}

/** The scope a page shows (`''` for the site), or undefined for every other path. */
export function pageScope(path: string): string | undefined {
  if (path === '/') return '';
  const match = /^\/(topics|providers)\/([^/]+)\/$/.exec(path);
  return match === null ? undefined : `/${match[1]}/${match[2]}`;
}

function withCounts(response: Response, digest: string): Response {
  const out = new Response(response.body, response);
  const etag = out.headers.get('ETag');
  if (etag !== null) out.headers.set('ETag', etag.replace(/"$/, `-${digest}"`));
  out.headers.set('Cache-Control', `public, max-age=${PUSH_COUNT_MAX_AGE}`);
  out.headers.delete('Content-Length');
  return out;
}

/** Eight hex digits of the SHA-256 of the counts, in topic order. */
async function digestOf(topics: readonly string[], counts: ReadonlyMap<string, number>) {
  const text = topics.map((topic) => counts.get(topic) ?? 0).join(',');
  const hash = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)),
  );
  return [...hash.subarray(0, 4)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
