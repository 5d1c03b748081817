import { feedPath, pagePath } from '../../core/document-paths.ts';
import { type SiteSettings, siteLink } from '../../core/feed-group.ts';
import type { DocumentFrame } from './document-frame.ts';
import type { FeedDocument } from './feed-document.ts';
import { feedLinks } from './feed-links.ts';
import { SITE_ICONS } from './site-icon-paths.ts';

/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) around pre-rendered items, one per
 * line; key order is fixed, so identical input gives identical bytes. `feed_url` is the
 * subscription document on every page (the feed's identity); `next_url` walks back from it
 * to the newest archive page and on down to page 1 — never `feed_url`, never repeating, as
 * 1.1 requires. The same RFC 5005 facts are in the `_fh` extension object (JSON Feed 1.1,
 * "Extensions": keys starting with an underscore).
 */
export function renderJsonFeed(
  doc: FeedDocument,
  site: SiteSettings,
  itemCount: number,
): DocumentFrame {
  const links = feedLinks(doc, 'feed.json', site);
  const head: Record<string, unknown> = {
    version: 'https://jsonfeed.org/version/1.1',
    title: doc.title,
    home_page_url: siteLink(site, pagePath(doc.scope)),
    feed_url: siteLink(site, feedPath(doc.scope, 'feed.json')),
  };
  if (links.prevArchive) head.next_url = links.prevArchive;
  head.description = doc.description;
  // JSON Feed 1.1: `icon` 512 × 512, `favicon` small, both square; raster for every reader.
  head.icon = siteLink(site, SITE_ICONS.large.path);
  head.favicon = siteLink(site, SITE_ICONS.small.path);
  head.language = site.language;
  // JSON Feed 1.1 "hubs": endpoints that can notify of updates, here a WebSub hub.
  if (links.hub) head.hubs = [{ type: 'WebSub', url: links.hub }];
  head._fh = {
    about: 'https://www.rfc-editor.org/rfc/rfc5005',
    ...(links.complete ? { complete: true } : {}),
    ...(links.archive ? { archive: true } : {}),
    self: links.self,
    ...(links.current ? { current: links.current } : {}),
    ...(links.prevArchive ? { prev_archive: links.prevArchive } : {}),
    ...(links.nextArchive ? { next_archive: links.nextArchive } : {}),
  };
  const opening = JSON.stringify(head, null, 2).slice(0, -2); // drop the closing "\n}"
  if (itemCount === 0) return { head: `${opening},\n  "items": []\n}\n`, separator: '', tail: '' };
  return { head: `${opening},\n  "items": [\n`, separator: ',\n', tail: '\n  ]\n}\n' };
}
