import { feedPath, pagePath } from '../../core/document-paths.ts';
import { type FeedGroup, type SiteSettings, siteLink } from '../../core/feed-group.ts';
import { escapeXml as x } from '../../core/xml-escape.ts';
import { GENERATOR, GENERATOR_URI } from './generator.ts';
import { renderAtomEntry } from './render-items.ts';
import { xmlPrologue } from './xml-prologue.ts';

/** Atom 1.0 (RFC 4287). The feed id is its own permanent URL (§4.2.6). */
export function renderAtom(group: FeedGroup, site: SiteSettings): string {
  const self = siteLink(site, feedPath(group.scope, 'atom.xml'));
  const icon = siteLink(site, '/icon.svg');
  const parts = [
    xmlPrologue,
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${x(site.language)}">\n`,
    `<id>${x(self)}</id>\n`,
    `<title type="text">${x(group.title)}</title>\n`,
    `<subtitle type="text">${x(group.description)}</subtitle>\n`,
    `<updated>${new Date(group.updated).toISOString()}</updated>\n`,
    `<generator uri="${GENERATOR_URI}">${GENERATOR}</generator>\n`,
    `<link rel="alternate" type="text/html" href="${x(siteLink(site, pagePath(group.scope)))}"/>\n`,
    `<link rel="self" type="application/atom+xml" href="${x(self)}"/>\n`,
    `<icon>${x(icon)}</icon>\n`,
    `<logo>${x(group.logo ?? icon)}</logo>\n`,
  ];
  for (const article of group.articles) parts.push(renderAtomEntry(article, site));
  parts.push('</feed>\n');
  return parts.join('');
}
