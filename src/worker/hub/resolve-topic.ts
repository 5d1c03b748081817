import type { BuildRecord } from '../../core/build-record.ts';
import { canonicalPath } from '../../core/canonical-path.ts';
import { isSubscriptionPath } from '../../core/document-paths.ts';
import { findDocument } from '../store/find-document.ts';

export type TopicResolution =
  | { ok: true; topic: string; path: string }
  | { ok: false; reason: string };

/**
 * A hub.topic as one of our subscription documents: the absolute URL (the build's siteUrl +
 * path) of a feed, not an archive page, that the build served now contains. Each format's
 * URL is its own topic (§4: "self" is exactly the URL served). Percent-encoding is read the
 * way the worker reads paths (§5.1.1: hubs decode non-reserved characters), so `/topics/%61i/
 * rss.xml` is `/topics/ai/rss.xml`; the topic stored is always the canonical spelling.
 */
export async function resolveTopic(
  kv: KVNamespace,
  build: BuildRecord,
  topic: string,
): Promise<TopicResolution> {
  const site = new URL(build.siteUrl);
  let url: URL;
  try {
    url = new URL(topic);
  } catch {
    return { ok: false, reason: 'hub.topic is not an absolute URL' };
  }
  const base = site.pathname.replace(/\/+$/, '');
  const notOurs = {
    ok: false,
    reason: `hub.topic is not a feed this hub serves; topics are the feed URLs under ${build.siteUrl}/ (rss.xml, atom.xml or feed.json)`,
  } as const;
  if (url.origin !== site.origin || !url.pathname.startsWith(`${base}/`)) return notOurs;
  if (url.search !== '') {
    return { ok: false, reason: 'hub.topic must be the feed URL exactly, without a query string' };
  }
  const path = canonicalPath(url.pathname.slice(base.length));
  if (path === undefined || !isSubscriptionPath(path)) return notOurs;
  if ((await findDocument(kv, build, path)) === undefined) return notOurs;
  return { ok: true, topic: `${build.siteUrl}${path}`, path };
}
