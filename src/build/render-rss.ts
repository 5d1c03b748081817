import { Feed, type Item } from 'feed';
import { feedPath, pagePath } from '../core/document-paths.ts';
import { guardCdataText, preEscapeAttribute } from './escape-markup.ts';
import { type FeedGroup, type SiteSettings, siteLink } from './feed-group.ts';
import { imageMediaType } from './image-media-type.ts';
import { renderContentHtml, renderSummaryHtml } from './render-related-html.ts';

export const GENERATOR = 'edgefeed';

// Namespaces the items use. `feed` declares dc and content only when some item has
// content, and never media, so the root element is completed after rendering.
const NAMESPACES: Record<string, string> = {
  'xmlns:atom': 'http://www.w3.org/2005/Atom',
  'xmlns:content': 'http://purl.org/rss/1.0/modules/content/',
  'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
  'xmlns:media': 'http://search.yahoo.com/mrss/',
};

/** RSS 2.0 (https://www.rssboard.org/rss-specification) with Dublin Core and Media RSS. */
export function renderRss(group: FeedGroup, site: SiteSettings): string {
  const feed = new Feed({
    title: group.title,
    description: group.description,
    id: siteLink(site, feedPath(group.scope, 'rss.xml')),
    link: siteLink(site, pagePath(group.scope)),
    feed: siteLink(site, feedPath(group.scope, 'rss.xml')),
    language: site.language,
    image: group.logo ?? siteLink(site, '/icon.svg'),
    updated: new Date(group.updated),
    generator: GENERATOR,
    docs: 'https://www.rssboard.org/rss-specification',
  });
  for (const article of group.articles) {
    const date = new Date(article.date);
    const extensions: Item['extensions'] = [
      // RSS <author> must be an e-mail address (RSS 2.0, "author"): we have a source name.
      { name: 'dc:creator', objects: { _text: article.provider.name } },
    ];
    const item: Item = {
      title: guardCdataText(article.title),
      id: article.url,
      link: article.url,
      date,
      published: date,
      description: renderSummaryHtml(article),
      content: renderContentHtml(article),
      category: article.topics.map((t) => ({
        name: t.name,
        domain: preEscapeAttribute(
          siteLink(site, feedPath({ kind: 'topic', key: t.slug }, 'rss.xml')),
        ),
      })),
      extensions,
    };
    if (article.image) {
      const { url, width, height } = article.image;
      const type = imageMediaType(url);
      // RSS 2.0 "enclosure": length is required; 0 when unknown is the accepted practice.
      item.enclosure = { url, type, length: 0 };
      const size = { ...(width ? { width } : {}), ...(height ? { height } : {}) };
      extensions.push({
        name: 'media:content',
        objects: { _attributes: { url: preEscapeAttribute(url), medium: 'image', type, ...size } },
      });
      extensions.push({
        name: 'media:thumbnail',
        objects: { _attributes: { url: preEscapeAttribute(url), ...size } },
      });
    }
    feed.addItem(item);
  }
  return declareNamespaces(feed.rss2());
}

function declareNamespaces(xml: string): string {
  return xml.replace(/<rss\b([^>]*)>/, (_whole, attributes: string) => {
    const missing = Object.entries(NAMESPACES)
      .filter(([name]) => !attributes.includes(`${name}=`))
      .map(([name, uri]) => ` ${name}="${uri}"`)
      .join('');
    return `<rss${attributes}${missing}>`;
  });
}
