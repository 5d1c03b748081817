import { pagePath } from '../../core/document-paths.ts';
import type { FeedGroup, SiteSettings } from '../../core/feed-group.ts';
import type { PublishedArticle } from '../../core/published-article.ts';
import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';
import { renderDay, renderFeedLinks, renderPageLayout } from './render-page-layout.ts';

const SUMMARY_LENGTH = 280;

/** `/topics/{slug}/` and `/providers/{domain}/`: the newest items and how to subscribe. */
export function renderFeedPage(site: SiteSettings, group: FeedGroup): string {
  const kind = group.scope.kind === 'provider' ? 'Source' : 'Topic';
  const pageUrl = site.siteUrl + pagePath(group.scope);
  const origin =
    group.scope.kind === 'provider'
      ? ` <a href="https://${escapeHtml(group.scope.key)}/" rel="external">${escapeHtml(group.scope.key)}</a>`
      : '';
  const shown =
    group.articles.length < group.total
      ? `the newest ${group.articles.length} of ${group.total}`
      : count(group.total);
  const body = `<p class="kicker">${kind}${origin}</p>
<h1>${escapeHtml(group.name)}</h1>
<p class="lede">${escapeHtml(group.description)}</p>
<section class="box" aria-labelledby="subscribe"><h2 id="subscribe">Subscribe</h2>
${renderFeedLinks(site, group.scope, group.name)}
<ol class="steps">
<li>Copy one of the addresses above. Not sure which? Take RSS: every feed reader understands it.</li>
<li>In your feed reader (NetNewsWire, Feedly, Inoreader, Miniflux, Thunderbird, newsboat…), choose <q>Add feed</q> or <q>Subscribe</q> and paste it.</li>
<li>Or paste this page's address, <code>${escapeHtml(pageUrl)}</code>: readers find its feeds by themselves.</li>
</ol></section>
<section aria-labelledby="latest"><h2 id="latest">Latest articles <span class="count">(${shown}${group.total > 0 ? `, updated ${renderDay(group.updated)}` : ''})</span></h2>
${group.articles.length > 0 ? `<ol class="items">\n${group.articles.map(renderItem).join('\n')}\n</ol>` : '<p>No articles yet.</p>'}</section>`;
  return renderPageLayout({
    site,
    title: group.title,
    description: group.description,
    feeds: { scope: group.scope, title: group.title },
    body,
  });
}

/**
 * One article. The thumbnail is decorative (`alt=""`: the linked title beside it says
 * what it shows, WCAG 2.2 H67) and sends no Referer to the image host.
 */
function renderItem(a: PublishedArticle): string {
  const thumb = a.image
    ? `<img class="thumb" src="${escapeHtml(a.image.url)}" alt="" loading="lazy" decoding="async" referrerpolicy="no-referrer" width="112" height="75">`
    : '<span class="thumb" aria-hidden="true"></span>';
  const topics = a.topics
    .map(
      (t) =>
        `<a href="${escapeHtml(pagePath({ kind: 'topic', key: t.slug }))}">${escapeHtml(t.name)}</a>`,
    )
    .join(', ');
  const source = `<a href="${escapeHtml(pagePath({ kind: 'provider', key: a.provider.domain }))}">${escapeHtml(a.provider.name)}</a>`;
  const summary = a.summaryText ? `<p>${escapeHtml(shorten(a.summaryText))}</p>` : '';
  return `<li class="item">${thumb}<article><h3><a href="${escapeHtml(a.url)}">${escapeHtml(a.title)}</a></h3>
<p class="meta">${source} · ${renderDay(a.date)}${topics ? ` · <span class="topics">${topics}</span>` : ''}</p>
${summary}</article></li>`;
}

/** At most SUMMARY_LENGTH UTF-16 units, never splitting a surrogate pair. */
function shorten(text: string): string {
  if (text.length <= SUMMARY_LENGTH) return text;
  // Cut in UTF-16 units, then step back off a high surrogate so no pair is split.
  let end = SUMMARY_LENGTH - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

function count(n: number): string {
  return `${n} ${n === 1 ? 'article' : 'articles'}`;
}
