import { feedPath } from '../../core/document-paths.ts';
import { type SiteSettings, siteLink } from '../../core/feed-group.ts';
import { escapeXml as x } from '../../core/xml-escape.ts';
import type { DocumentFrame } from './document-frame.ts';
import type { FeedDocument } from './feed-document.ts';
import { feedLinks } from './feed-links.ts';
import { GENERATOR, GENERATOR_URI } from './generator.ts';
import { SITE_ICONS } from './site-icon-paths.ts';
import { xmlPrologue } from './xml-prologue.ts';

/**
 * Atom 1.0 (RFC 4287) around pre-rendered `<entry>`s. The feed id is the subscription
 * document's permanent URL (§4.2.6), on archive pages too: they are parts of the same
 * logical feed (RFC 5005 §4), told apart by their `self` links and `fh:archive`.
 */
export function renderAtom(doc: FeedDocument, site: SiteSettings): DocumentFrame {
  const links = feedLinks(doc, 'atom.xml', site);
  const id = siteLink(site, feedPath(doc.scope, 'atom.xml'));
  // RFC 4287 §4.2.5 icon: square; §4.2.8 logo: 2:1, a provider's own where it has one.
  const icon = siteLink(site, SITE_ICONS.large.path);
  const logo = doc.logo ?? siteLink(site, SITE_ICONS.logo.path);
  const parts = [
    xmlPrologue,
    `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:fh="http://purl.org/syndication/history/1.0" xml:lang="${x(site.language)}">\n`,
    `<id>${x(id)}</id>\n`,
    `<title type="text">${x(doc.title)}</title>\n`,
    `<subtitle type="text">${x(doc.description)}</subtitle>\n`,
    `<updated>${new Date(doc.updated).toISOString()}</updated>\n`,
    `<generator uri="${GENERATOR_URI}">${GENERATOR}</generator>\n`,
    `<link rel="alternate" type="text/html" href="${x(links.page)}"/>\n`,
    `<link rel="self" type="application/atom+xml" href="${x(links.self)}"/>\n`,
  ];
  if (links.hub) parts.push(`<link rel="hub" href="${x(links.hub)}"/>\n`);
  if (links.current) {
    parts.push(`<link rel="current" type="application/atom+xml" href="${x(links.current)}"/>\n`);
  }
  if (links.prevArchive) {
    parts.push(
      `<link rel="prev-archive" type="application/atom+xml" href="${x(links.prevArchive)}"/>\n`,
    );
  }
  if (links.nextArchive) {
    parts.push(
      `<link rel="next-archive" type="application/atom+xml" href="${x(links.nextArchive)}"/>\n`,
    );
  }
  if (links.complete) parts.push('<fh:complete/>\n');
  if (links.archive) parts.push('<fh:archive/>\n');
  parts.push(`<icon>${x(icon)}</icon>\n`, `<logo>${x(logo)}</logo>\n`);
  return { head: parts.join(''), separator: '', tail: '</feed>\n' };
}
