import { Feed, type Item } from 'feed';
import { feedPath, pagePath } from '../core/document-paths.ts';
import { type FeedGroup, type SiteSettings, siteLink } from './feed-group.ts';
import { renderContentHtml, renderSummaryHtml } from './render-related-html.ts';

type JsonObject = Record<string, unknown>;

/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/). `feed` 6 writes version 1; we
 * render with it and then move its output to 1.1: `authors` arrays instead of the
 * deprecated `author`, `language`, `favicon`, and `content_html`/`content_text` chosen
 * per item. Key order is fixed so identical input gives identical bytes.
 */
export function renderJsonFeed(group: FeedGroup, site: SiteSettings): string {
  const feed = new Feed({
    title: group.title,
    description: group.description,
    id: siteLink(site, feedPath(group.scope, 'feed.json')),
    link: siteLink(site, pagePath(group.scope)),
    feedLinks: { json: siteLink(site, feedPath(group.scope, 'feed.json')) },
    image: group.logo ?? siteLink(site, '/icon.svg'),
    updated: new Date(group.updated),
  });
  for (const article of group.articles) {
    const date = new Date(article.date);
    const item: Item = {
      title: article.title,
      id: article.url,
      link: article.url,
      date,
      published: date,
      description: renderSummaryHtml(article),
      content: renderContentHtml(article),
      category: article.topics.map((t) => ({ name: t.name })),
      author: [
        {
          name: article.provider.name,
          link: `https://${article.provider.domain}/`,
          ...(article.provider.logo ? { avatar: article.provider.logo } : {}),
        },
      ],
      ...(article.image ? { image: article.image.url } : {}),
    };
    feed.addItem(item);
  }
  const v1 = JSON.parse(feed.json1()) as JsonObject;
  const items = (v1.items as JsonObject[]).map((item, i) =>
    upgradeItem(item, group.articles[i]?.summaryText),
  );
  const out: JsonObject = {
    version: 'https://jsonfeed.org/version/1.1',
    title: v1.title,
    home_page_url: v1.home_page_url,
    feed_url: v1.feed_url,
    description: v1.description,
    icon: v1.icon,
    favicon: siteLink(site, '/icon.svg'),
    language: site.language,
    items,
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

function upgradeItem(v1: JsonObject, summaryText: string | undefined): JsonObject {
  const item: JsonObject = { id: v1.id, url: v1.url, title: v1.title };
  // JSON Feed 1.1: summary is plain text; content_html carries the HTML.
  if (summaryText) item.summary = summaryText;
  if (typeof v1.content_html === 'string') item.content_html = v1.content_html;
  // An item must carry content_html or content_text (JSON Feed 1.1, "items").
  else item.content_text = summaryText ?? '';
  if (v1.image) item.image = v1.image;
  item.date_published = v1.date_published;
  item.date_modified = v1.date_modified;
  if (v1.author) item.authors = [v1.author];
  if (Array.isArray(v1.tags) && v1.tags.length > 0) item.tags = v1.tags;
  return item;
}
