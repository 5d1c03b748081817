import { randomUUID } from 'node:crypto';
import { Feed, type Item } from 'feed';
import { feedPath, pagePath } from '../core/document-paths.ts';
import { escapeHtml, guardCdataHtml } from './escape-markup.ts';
import { type FeedGroup, type SiteSettings, siteLink } from './feed-group.ts';
import { imageMediaType } from './image-media-type.ts';
import { renderContentHtml, renderSummaryHtml } from './render-related-html.ts';
import { GENERATOR } from './render-rss.ts';

/**
 * Atom 1.0 (RFC 4287). `feed` writes the entry skeleton; the links it cannot express
 * correctly (an enclosure with a real media type, RFC 4287 §4.2.7.2; one rel="related"
 * link per related article) are written by us into a per-render marker, a category with
 * a random term that no seed can predict, so nothing from the input can be mistaken
 * for it. The marker never survives into the output.
 */
export function renderAtom(group: FeedGroup, site: SiteSettings): string {
  const marker = `edgefeed-${randomUUID()}`;
  const selfUrl = siteLink(site, feedPath(group.scope, 'atom.xml'));
  const feed = new Feed({
    title: group.title,
    description: group.description,
    id: selfUrl,
    link: siteLink(site, pagePath(group.scope)),
    feed: selfUrl,
    language: site.language,
    image: group.logo ?? siteLink(site, '/icon.svg'),
    favicon: siteLink(site, '/icon.svg'),
    updated: new Date(group.updated),
    generator: GENERATOR,
  });
  const extraLinks: string[] = [];
  group.articles.forEach((article, index) => {
    const date = new Date(article.date);
    const links: string[] = [];
    if (article.image) {
      const { url } = article.image;
      links.push(
        `<link rel="enclosure" href="${escapeHtml(url)}" type="${imageMediaType(url)}" length="0"/>`,
      );
    }
    for (const r of article.related) {
      links.push(
        `<link rel="related" href="${escapeHtml(r.url)}" title="${escapeHtml(r.title)}"/>`,
      );
    }
    extraLinks.push(links.join(''));
    const item: Item = {
      // type="html" (feed's choice): the title is escaped so it shows as the text it is.
      title: guardCdataHtml(escapeHtml(article.title)),
      id: article.url,
      link: article.url,
      date,
      published: date,
      description: renderSummaryHtml(article),
      content: renderContentHtml(article),
      author: [{ name: article.provider.name, link: `https://${article.provider.domain}/` }],
      category: [
        ...article.topics.map((t) => ({
          term: t.slug,
          // feed escapes `&` in labels itself; `<` cannot appear (topic names are cleaned).
          name: t.name,
          scheme: siteLink(site, '/topics/'),
        })),
        { term: `${marker}-${index}` },
      ],
    };
    feed.addItem(item);
  });
  // RFC 4287 §2: xml:lang on the root gives every entry its language.
  const xml = feed
    .atom1()
    .replace(
      '<feed xmlns="http://www.w3.org/2005/Atom">',
      `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeHtml(site.language)}">`,
    );
  return xml.replace(new RegExp(`<category term="${marker}-(\\d+)"/>`, 'g'), (_m, i: string) => {
    return extraLinks[Number(i)] ?? '';
  });
}
