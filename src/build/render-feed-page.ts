import { feedPath, pagePath } from '../core/document-paths.ts';
import type { FeedGroup, SiteSettings } from './feed-group.ts';
import { formatDay, renderFeedLinks, renderPageLayout } from './render-page-layout.ts';
import { escapeXml as escapeHtml } from './xml-escape.ts';

/** `/topics/{slug}/` and `/providers/{domain}/`: the newest items and how to subscribe. */
export function renderFeedPage(site: SiteSettings, group: FeedGroup): string {
  const items = group.articles
    .map((a) => {
      const thumb = a.image
        ? `<img src="${escapeHtml(a.image.url)}" alt="" loading="lazy" width="96" height="64">`
        : '';
      const topics = a.topics
        .map(
          (t) =>
            `<a href="${escapeHtml(pagePath({ kind: 'topic', key: t.slug }))}">${escapeHtml(t.name)}</a>`,
        )
        .join(', ');
      const source = `<a href="${escapeHtml(pagePath({ kind: 'provider', key: a.provider.domain }))}">${escapeHtml(a.provider.name)}</a>`;
      return `<li class="item">${thumb}<div><h3><a href="${escapeHtml(a.url)}" rel="noopener">${escapeHtml(a.title)}</a></h3>
<p class="meta">${source} · <time datetime="${new Date(a.date).toISOString()}">${formatDay(a.date)}</time>${topics ? ` · ${topics}` : ''}</p>
${a.summaryText ? `<p>${escapeHtml(a.summaryText.length > 280 ? `${a.summaryText.slice(0, 277)}…` : a.summaryText)}</p>` : ''}</div></li>`;
    })
    .join('\n');
  const rss = site.siteUrl + feedPath(group.scope, 'rss.xml');
  const body = `<h1>${escapeHtml(group.title)}</h1>
<p class="lede">${escapeHtml(group.description)}</p>
<section aria-labelledby="subscribe"><h2 id="subscribe">Subscribe</h2>
${renderFeedLinks(site, group.scope)}
<p>Copy a feed URL into your feed reader (Feedly, NetNewsWire, Miniflux, newsboat…), or give it this page's address: it finds the feeds by itself. Not sure which? Take RSS: <code>${escapeHtml(rss)}</code>.</p></section>
<section aria-labelledby="latest"><h2 id="latest">Latest (${group.articles.length} of ${group.total})</h2>
<ol class="items">
${items}
</ol></section>`;
  return renderPageLayout({
    site,
    title: group.title,
    description: group.description,
    feeds: { scope: group.scope, title: group.title },
    body,
  });
}
