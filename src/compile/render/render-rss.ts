import { feedPath, pagePath } from '../../core/document-paths.ts';
import { type FeedGroup, type SiteSettings, siteLink } from '../../core/feed-group.ts';
import { escapeXml as x } from '../../core/xml-escape.ts';
import { GENERATOR } from './generator.ts';
import { renderRssItem } from './render-items.ts';
import { xmlPrologue } from './xml-prologue.ts';

/**
 * RSS 2.0 (https://www.rssboard.org/rss-specification) with the Atom (self link), content
 * (full HTML), Dublin Core (creator) and Media RSS (image) namespaces. HTML travels
 * entity-escaped, never in CDATA, so no input can end a section early.
 */
export function renderRss(group: FeedGroup, site: SiteSettings): string {
  const self = siteLink(site, feedPath(group.scope, 'rss.xml'));
  const page = siteLink(site, pagePath(group.scope));
  const image = group.logo ?? siteLink(site, '/icon.svg');
  const parts = [
    xmlPrologue,
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss/">\n',
    '<channel>\n',
    `<title>${x(group.title)}</title>\n`,
    `<link>${x(page)}</link>\n`,
    `<description>${x(group.description)}</description>\n`,
    `<language>${x(site.language)}</language>\n`,
    // lastBuildDate is the newest item's date, so an unchanged feed keeps its bytes and ETag.
    `<lastBuildDate>${new Date(group.updated).toUTCString()}</lastBuildDate>\n`,
    '<docs>https://www.rssboard.org/rss-specification</docs>\n',
    `<generator>${GENERATOR}</generator>\n`,
    `<image><url>${x(image)}</url><title>${x(group.title)}</title><link>${x(page)}</link></image>\n`,
    `<atom:link href="${x(self)}" rel="self" type="application/rss+xml"/>\n`,
  ];
  for (const article of group.articles) parts.push(renderRssItem(article, site));
  parts.push('</channel>\n</rss>\n');
  return parts.join('');
}
