import { feedPath } from '../../core/document-paths.ts';
import { type SiteSettings, siteLink } from '../../core/feed-group.ts';
import type { PublishedArticle } from '../../core/published-article.ts';
import { escapeXml as x } from '../../core/xml-escape.ts';
import { imageMediaType } from './image-media-type.ts';
import { renderContentHtml, renderSummaryHtml } from './render-related-html.ts';

// Each article's item, one renderer per format; the feed renderers put them together.
// Each is rendered once per article and build (item-markup.ts) and reused by every document
// that lists the article: its feeds' subscription documents and their archive pages.

/** RSS 2.0 <item>. */
export function renderRssItem(a: PublishedArticle, site: SiteSettings): string {
  const parts = [
    `<item>\n<title>${x(a.title)}</title>\n<link>${x(a.url)}</link>\n`,
    // The canonical URL is the article's permanent, unique address (RSS 2.0 "guid").
    `<guid isPermaLink="true">${x(a.url)}</guid>\n`,
    `<pubDate>${new Date(a.date).toUTCString()}</pubDate>\n`,
    // RSS <author> must be an e-mail address; the source's name goes in dc:creator.
    `<dc:creator>${x(a.provider.name)}</dc:creator>\n`,
  ];
  const summary = renderSummaryHtml(a);
  if (summary) parts.push(`<description>${x(summary)}</description>\n`);
  const content = renderContentHtml(a);
  if (content) parts.push(`<content:encoded>${x(content)}</content:encoded>\n`);
  for (const t of a.topics) {
    const domain = siteLink(site, feedPath({ kind: 'topic', key: t.slug }, 'rss.xml'));
    parts.push(`<category domain="${x(domain)}">${x(t.name)}</category>\n`);
  }
  if (a.image) {
    const { url, width, height } = a.image;
    const type = imageMediaType(url);
    const size = `${width ? ` width="${width}"` : ''}${height ? ` height="${height}"` : ''}`;
    // length is required; 0 when unknown is the accepted practice (RSS Advisory Board).
    parts.push(`<enclosure url="${x(url)}" length="0" type="${type}"/>\n`);
    parts.push(`<media:content url="${x(url)}" medium="image" type="${type}"${size}/>\n`);
    parts.push(`<media:thumbnail url="${x(url)}"${size}/>\n`);
  }
  parts.push('</item>\n');
  return parts.join('');
}

/** Atom 1.0 <entry> (RFC 4287 §4.1.2). */
export function renderAtomEntry(a: PublishedArticle, site: SiteSettings): string {
  const date = new Date(a.date).toISOString();
  const parts = [
    `<entry>\n<id>${x(a.url)}</id>\n<title type="text">${x(a.title)}</title>\n`,
    `<link rel="alternate" type="text/html" href="${x(a.url)}"/>\n`,
    `<published>${date}</published>\n<updated>${date}</updated>\n`,
    `<author><name>${x(a.provider.name)}</name><uri>https://${x(a.provider.domain)}/</uri></author>\n`,
  ];
  for (const t of a.topics) {
    parts.push(
      `<category term="${x(t.slug)}" label="${x(t.name)}" scheme="${x(siteLink(site, '/topics/'))}"/>\n`,
    );
  }
  // §4.1.3.1: type="html" carries escaped HTML; plain excerpts stay type="text".
  if (a.summaryHtml) parts.push(`<summary type="html">${x(a.summaryHtml)}</summary>\n`);
  else if (a.summaryText) parts.push(`<summary type="text">${x(a.summaryText)}</summary>\n`);
  const content = renderContentHtml(a);
  if (content) parts.push(`<content type="html">${x(content)}</content>\n`);
  if (a.image) {
    // §4.2.7.2: rel="enclosure" with the resource's media type; length when known (0: unknown).
    parts.push(
      `<link rel="enclosure" type="${imageMediaType(a.image.url)}" length="0" href="${x(a.image.url)}"/>\n`,
    );
  }
  for (const r of a.related)
    parts.push(`<link rel="related" href="${x(r.url)}" title="${x(r.title)}"/>\n`);
  parts.push('</entry>\n');
  return parts.join('');
}

/** JSON Feed 1.1 item, one line (the feed puts one item per line). */
export function renderJsonItem(a: PublishedArticle): string {
  const date = new Date(a.date).toISOString();
  const content = renderContentHtml(a) ?? a.summaryHtml;
  const item: Record<string, unknown> = { id: a.url, url: a.url, title: a.title };
  // 1.1: summary is plain text; an item must have content_html or content_text.
  if (a.summaryText) item.summary = a.summaryText;
  if (content) item.content_html = content;
  else item.content_text = a.summaryText ?? '';
  if (a.image) item.image = a.image.url;
  item.date_published = date;
  item.date_modified = date;
  item.authors = [
    {
      name: a.provider.name,
      url: `https://${a.provider.domain}/`,
      ...(a.provider.logo ? { avatar: a.provider.logo } : {}),
    },
  ];
  if (a.topics.length > 0) item.tags = a.topics.map((t) => t.name);
  return `    ${JSON.stringify(item)}`;
}
