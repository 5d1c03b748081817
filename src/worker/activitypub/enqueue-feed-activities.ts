import { notePath } from '../../core/actor-paths.ts';
import type { BuildRecord } from '../../core/build-record.ts';
import type { FeedScope } from '../../core/document-paths.ts';
import type { ManifestEntry } from '../../core/manifest.ts';
import type { HubMessage } from '../hub/hub-message.ts';
import { sendHubMessages } from '../hub/send-hub-messages.ts';
import { findDocument } from '../store/find-document.ts';
import { readContent } from '../store/read-content.ts';
import { isObject, stringOf } from './activity-fields.ts';
import { AS_CONTEXT } from './activity-type.ts';
import { bytesBase64 } from './actor-key.ts';
import { listFollowerInboxes } from './followers.ts';

/** At most this many outbox pages are read to find a feed's new articles' Creates. */
const MAX_PAGES_READ = 3;
/** At most this many archive pages sealed by one deploy are read for new articles. */
const MAX_SEALED_PAGES = 20;

type Item = { url: string; date: number };
/** A JSON Feed document's items and its `next_url` (JSON Feed 1.1: the next older page). */
type FeedPage = { items: Item[]; next: string | undefined };

/**
 * After a switch from `previous` to `current` (a deploy or rollback, the deploy trigger):
 * for every feed whose subscription documents changed and whose actor has followers, the
 * articles new to the feed (in its newest items now, or in an archive page this build sealed,
 * and not in its newest items before) are sent as the `Create` its outbox holds, and the articles gone from it that no newer article pushed out (a
 * deleted article) as a `Delete` of the Note's Tombstone; one message per activity and
 * follower inbox, a shared inbox counted once. The newest items are read from each
 * feed's JSON Feed document of both builds. Without a previous build nothing is sent:
 * a follower is not flooded with a feed's whole first page.
 */
export async function enqueueFeedActivities(
  kv: KVNamespace,
  db: D1Database,
  queue: Queue,
  previous: BuildRecord | undefined,
  current: BuildRecord,
  changed: ReadonlyMap<string, ManifestEntry>,
): Promise<number> {
  if (previous === undefined) return 0;
  const feeds = [...changed.keys()]
    .filter((path) => path.endsWith('/feed.json') && !/\/archive\/\d+\/feed\.json$/.test(path))
    .map((path) => path.slice(0, -'/feed.json'.length));
  const inboxes = await listFollowerInboxes(
    db,
    feeds.map((dir) => `${dir}/actor`),
  );
  const messages: HubMessage[] = [];
  for (const dir of feeds) {
    const targets = inboxes.get(`${dir}/actor`);
    if (targets === undefined) continue;
    const latest = await readFeedPage(kv, current, `${dir}/feed.json`);
    const now = latest.items;
    const sealed = await newlySealedItems(kv, previous, current, latest.next);
    const before = (await readFeedPage(kv, previous, `${dir}/feed.json`)).items;
    const known = new Set(before.map((item) => item.url));
    const added = [...now, ...sealed.items].filter((item) => !known.has(item.url));
    const kept = new Set(now.map((item) => item.url));
    const oldest = Math.min(...now.map((item) => item.date));
    const removed = before.filter(
      (item) => !kept.has(item.url) && (now.length < before.length || item.date >= oldest),
    );
    const actor = `${current.siteUrl}${dir}/actor`;
    const activities = [
      ...(await createsOf(kv, current, dir, added, MAX_PAGES_READ + sealed.pages)),
      ...(await Promise.all(removed.map((item) => deleteOf(current.siteUrl, dir, actor, item)))),
    ];
    for (const activity of activities) {
      const text = JSON.stringify({ '@context': AS_CONTEXT, ...activity });
      for (const inbox of targets) {
        messages.push({ kind: 'activity', buildId: current.buildId, actor, inbox, activity: text });
      }
    }
  }
  await sendHubMessages(queue, messages);
  return messages.length;
}

/** The items (url and date) and `next_url` of a build's JSON Feed document at `path`. */
async function readFeedPage(kv: KVNamespace, build: BuildRecord, path: string): Promise<FeedPage> {
  const entry = await findDocument(kv, build, path);
  if (entry === undefined) return { items: [], next: undefined };
  const feed: unknown = JSON.parse(await new Response(await readContent(kv, entry[0])).text());
  const items = isObject(feed) && Array.isArray(feed.items) ? feed.items : [];
  return {
    items: items.flatMap((item: unknown) => {
      const url = isObject(item) ? stringOf(item.url) : undefined;
      const date = isObject(item) ? Date.parse(stringOf(item.date_published) ?? '') : Number.NaN;
      return url === undefined || Number.isNaN(date) ? [] : [{ url, date }];
    }),
    next: isObject(feed) ? stringOf(feed.next_url) : undefined,
  };
}

/**
 * The items of the archive pages `current` sealed that `previous` did not have, walking back
 * from the subscription document's `next_url` (RFC 5005 prev-archive) to the first page the
 * previous build had: a deploy that added more than a page of articles pushed the older ones
 * there, and they are new to the feed all the same.
 */
async function newlySealedItems(
  kv: KVNamespace,
  previous: BuildRecord,
  current: BuildRecord,
  first: string | undefined,
): Promise<{ items: Item[]; pages: number }> {
  const items: Item[] = [];
  let pages = 0;
  for (let url = first; url !== undefined && pages < MAX_SEALED_PAGES; ) {
    if (!url.startsWith(`${current.siteUrl}/`)) break;
    const path = url.slice(current.siteUrl.length);
    if ((await findDocument(kv, previous, path)) !== undefined) break;
    const page = await readFeedPage(kv, current, path);
    items.push(...page.items);
    pages++;
    url = page.next;
  }
  return { items, pages };
}

/** The Creates of `items` as the feed's outbox holds them: its latest page, then older. */
async function createsOf(
  kv: KVNamespace,
  build: BuildRecord,
  dir: string,
  items: readonly Item[],
  maxPages: number,
): Promise<Record<string, unknown>[]> {
  const wanted = new Set(items.map((item) => item.url));
  const found: Record<string, unknown>[] = [];
  let page: string | undefined = `${build.siteUrl}${dir}/outbox-latest`;
  for (let read = 0; read < maxPages && page !== undefined && wanted.size > 0; read++) {
    const entry = await findDocument(kv, build, page.slice(build.siteUrl.length));
    if (entry === undefined) break;
    const json: unknown = JSON.parse(await new Response(await readContent(kv, entry[0])).text());
    if (!isObject(json)) break;
    for (const create of Array.isArray(json.orderedItems) ? json.orderedItems : []) {
      const url =
        isObject(create) && isObject(create.object) ? stringOf(create.object.url) : undefined;
      if (url !== undefined && wanted.delete(url) && isObject(create)) found.push(create);
    }
    page = stringOf(json.next);
  }
  // Oldest first, so followers' timelines get them in order.
  return found.reverse();
}

async function deleteOf(siteUrl: string, dir: string, actor: string, item: Item) {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(item.url)),
  );
  const base64url = bytesBase64(digest).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const id = `${siteUrl}${notePath(scopeOfDirectory(dir), base64url.slice(0, 22))}`;
  return {
    id: `${id}/delete`,
    type: 'Delete',
    actor,
    to: ['https://www.w3.org/ns/activitystreams#Public'],
    object: { id, type: 'Tombstone' },
  };
}

/** The scope of a feed directory as scopeDirectory spells it (keys stay encoded). */
function scopeOfDirectory(dir: string): FeedScope {
  const match = /^\/(topics|providers)\/(.+)$/.exec(dir);
  if (match === null) return { kind: 'site' };
  const key = decodeURIComponent(match[2] ?? '');
  return { kind: match[1] === 'topics' ? 'topic' : 'provider', key };
}
