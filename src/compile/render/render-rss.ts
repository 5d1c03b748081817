import type { SiteSettings } from '../../core/feed-group.ts';
import { siteLink } from '../../core/feed-group.ts';
import { escapeXml as x } from '../../core/xml-escape.ts';
import type { DocumentFrame } from './document-frame.ts';
import type { FeedDocument } from './feed-document.ts';
import { feedLinks } from './feed-links.ts';
import { GENERATOR } from './generator.ts';
import { SITE_ICONS } from './site-icon-paths.ts';
import { xmlPrologue } from './xml-prologue.ts';

const NAMESPACES = [
  'xmlns:atom="http://www.w3.org/2005/Atom"',
  'xmlns:content="http://purl.org/rss/1.0/modules/content/"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
  'xmlns:media="http://search.yahoo.com/mrss/"',
  'xmlns:fh="http://purl.org/syndication/history/1.0"',
  'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"',
].join(' ');

/**
 * RSS 2.0 (https://www.rssboard.org/rss-specification) around pre-rendered `<item>`s, with
 * the Atom (self, hub and RFC 5005 links), content, Dublin Core, Media RSS, Feed History
 * and Syndication namespaces. HTML travels entity-escaped, never in CDATA.
 */
export function renderRss(doc: FeedDocument, site: SiteSettings): DocumentFrame {
  const links = feedLinks(doc, 'rss.xml', site);
  // RSS 2.0 <image>: a GIF, JPEG or PNG at most 144 × 400, so always our raster icon (a
  // provider's logo has no known format or size; it is each item's author avatar instead).
  const image = SITE_ICONS.rss;
  const parts = [
    xmlPrologue,
    `<rss version="2.0" ${NAMESPACES}>\n`,
    '<channel>\n',
    `<title>${x(doc.title)}</title>\n`,
    `<link>${x(links.page)}</link>\n`,
    `<description>${x(doc.description)}</description>\n`,
    `<language>${x(site.language)}</language>\n`,
    // lastBuildDate is the newest item's date, so an unchanged feed keeps its bytes and ETag.
    `<lastBuildDate>${new Date(doc.updated).toUTCString()}</lastBuildDate>\n`,
    '<docs>https://www.rssboard.org/rss-specification</docs>\n',
    `<generator>${GENERATOR}</generator>\n`,
  ];
  if (doc.paging.kind === 'subscription') parts.push(...pollingHints(site.pollSeconds));
  parts.push(
    `<image><url>${x(siteLink(site, image.path))}</url><title>${x(doc.title)}</title><link>${x(links.page)}</link><width>${image.width}</width><height>${image.height}</height></image>\n`,
    `<atom:link href="${x(links.self)}" rel="self" type="application/rss+xml"/>\n`,
  );
  if (links.hub) parts.push(`<atom:link href="${x(links.hub)}" rel="hub"/>\n`);
  if (links.current) {
    parts.push(
      `<atom:link href="${x(links.current)}" rel="current" type="application/rss+xml"/>\n`,
    );
  }
  if (links.prevArchive) {
    parts.push(
      `<atom:link href="${x(links.prevArchive)}" rel="prev-archive" type="application/rss+xml"/>\n`,
    );
  }
  if (links.nextArchive) {
    parts.push(
      `<atom:link href="${x(links.nextArchive)}" rel="next-archive" type="application/rss+xml"/>\n`,
    );
  }
  if (links.complete) parts.push('<fh:complete/>\n');
  if (links.archive) parts.push('<fh:archive/>\n');
  return { head: parts.join(''), separator: '', tail: '</channel>\n</rss>\n' };
}

/**
 * How often to poll, from the worker's FEED_MAX_AGE: RSS 2.0 `<ttl>` (minutes a reader may
 * cache the channel) and the Syndication module's updatePeriod/updateFrequency (times per
 * hour). Subscription documents only: archive pages never change.
 */
function pollingHints(seconds: number): string[] {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  const perHour = Math.max(1, Math.floor(3600 / Math.max(1, seconds)));
  return [
    `<ttl>${minutes}</ttl>\n`,
    '<sy:updatePeriod>hourly</sy:updatePeriod>\n',
    `<sy:updateFrequency>${perHour}</sy:updateFrequency>\n`,
  ];
}
