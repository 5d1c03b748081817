import { feedPath, pagePath } from '../../core/document-paths.ts';
import { type FeedGroup, type SiteSettings, siteLink } from '../../core/feed-group.ts';
import { renderJsonItem } from './render-items.ts';

/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). Items are serialised one per
 * line inside `items`; key order is fixed, so identical input gives
 * identical bytes.
 */
export function renderJsonFeed(group: FeedGroup, site: SiteSettings): string {
  const head = {
    version: 'https://jsonfeed.org/version/1.1',
    title: group.title,
    home_page_url: siteLink(site, pagePath(group.scope)),
    feed_url: siteLink(site, feedPath(group.scope, 'feed.json')),
    description: group.description,
    icon: group.logo ?? siteLink(site, '/icon.svg'),
    favicon: siteLink(site, '/icon.svg'),
    language: site.language,
  };
  const opening = JSON.stringify(head, null, 2).slice(0, -2); // drop the closing "\n}"
  const items = group.articles.map(renderJsonItem);
  return `${opening},\n  "items": [${items.length > 0 ? `\n${items.join(',\n')}\n  ` : ''}]\n}\n`;
}
