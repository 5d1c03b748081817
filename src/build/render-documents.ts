import { type FeedScope, feedPath, pagePath } from '../core/document-paths.ts';
import type { BundleEntry } from '../core/document-record.ts';
import { MEDIA_TYPES } from '../core/media-types.ts';
import type { FeedGroup, SiteSettings } from './feed-group.ts';
import { ItemFragments } from './item-fragments.ts';
import { makeDocument } from './make-document.ts';
import { renderAtom } from './render-atom.ts';
import { renderFeedPage } from './render-feed-page.ts';
import { renderFeedsList } from './render-feeds-list.ts';
import { renderIndexPage } from './render-index-page.ts';
import { renderJsonFeed } from './render-json-feed.ts';
import { renderOpml } from './render-opml.ts';
import { renderRss } from './render-rss.ts';
import { ICON_SVG, STYLESHEET } from './site-assets.ts';

/** Every document of the URL table for one set of groups, rendered once. */
export function renderDocuments(
  site: SiteSettings,
  groups: { site: FeedGroup; topics: FeedGroup[]; providers: FeedGroup[] },
): BundleEntry[] {
  const all = [groups.site, ...groups.topics, ...groups.providers];
  const docs: BundleEntry[] = [];
  const fragments = new ItemFragments(site);
  for (const g of all) {
    docs.push(...renderFeedDocuments(site, g, fragments));
    if (g.scope.kind !== 'site') {
      docs.push(
        makeDocument(pagePath(g.scope), renderFeedPage(site, g), MEDIA_TYPES.html, g.updated),
      );
    }
  }
  const updated = groups.site.updated;
  docs.push(
    makeDocument(
      '/',
      renderIndexPage(site, groups.site, groups.topics, groups.providers),
      MEDIA_TYPES.html,
      updated,
    ),
    makeDocument('/opml.xml', renderOpml(site, all, updated), MEDIA_TYPES.opml, updated),
    makeDocument('/feeds.json', renderFeedsList(site, all), MEDIA_TYPES.json, updated),
    makeDocument('/style.css', STYLESHEET, 'text/css; charset=utf-8', updated),
    makeDocument('/icon.svg', ICON_SVG, 'image/svg+xml', updated),
  );
  return docs;
}

export function renderFeedDocuments(
  site: SiteSettings,
  g: FeedGroup,
  fragments: ItemFragments,
): BundleEntry[] {
  const scope: FeedScope = g.scope;
  return [
    makeDocument(
      feedPath(scope, 'rss.xml'),
      renderRss(g, site, fragments),
      MEDIA_TYPES.rss,
      g.updated,
    ),
    makeDocument(
      feedPath(scope, 'atom.xml'),
      renderAtom(g, site, fragments),
      MEDIA_TYPES.atom,
      g.updated,
    ),
    makeDocument(
      feedPath(scope, 'feed.json'),
      renderJsonFeed(g, site, fragments),
      MEDIA_TYPES.jsonFeed,
      g.updated,
    ),
  ];
}
