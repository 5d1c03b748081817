import { actorPath, handleOf } from '../../core/actor-paths.ts';
import { FEED_FORMATS, feedPath, pagePath } from '../../core/document-paths.ts';
import type { FeedSummary, SiteSettings } from '../../core/feed-group.ts';

/**
 * `/feeds.json`: every feed, machine-readable (kind, key, title, count, archive pages,
 * updated, URLs). Subscription documents only: archive pages are reached through them.
 */
export function renderFeedsList(site: SiteSettings, groups: FeedSummary[]): string {
  const host = new URL(site.siteUrl).host;
  const feeds = groups.map((g) => ({
    kind: g.scope.kind,
    key: g.scope.kind === 'site' ? '' : g.scope.key,
    title: g.title,
    count: g.total,
    // RFC 5005 archive pages behind the subscription documents (`{feed}/archive/{1…n}/`).
    archivePages: g.archivePages,
    updated: g.total > 0 ? new Date(g.updated).toISOString() : null,
    page: site.siteUrl + pagePath(g.scope),
    ...(g.parent ? { parent: g.parent } : {}),
    // ActivityPub (docs/activitypub.md): the feed's actor and the handle that finds it.
    ...actorFields(site, g, host),
    urls: Object.fromEntries(
      FEED_FORMATS.map((f) => [
        f === 'feed.json' ? 'json' : f.slice(0, -4),
        site.siteUrl + feedPath(g.scope, f),
      ]),
    ),
  }));
  return `${JSON.stringify({ title: site.title, home_page_url: `${site.siteUrl}/`, feeds }, null, 2)}\n`;
}

function actorFields(site: SiteSettings, g: FeedSummary, host: string) {
  const handle = handleOf(g.scope);
  if (handle === undefined) return {};
  return { actor: site.siteUrl + actorPath(g.scope), handle: `${handle}@${host}` };
}
