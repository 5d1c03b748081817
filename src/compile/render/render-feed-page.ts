import { archivePagePath, pagePath, scopeDirectory } from '../../core/document-paths.ts';
import type { FeedSummary, SiteSettings } from '../../core/feed-group.ts';
import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';
import type { DocumentFrame } from './document-frame.ts';
import { renderFollowHint } from './render-follow-hint.ts';
import { renderDay, renderFeedLinks, renderPageLayout } from './render-page-layout.ts';

/**
 * `/topics/{slug}/` and `/providers/{domain}/`: how to subscribe, the newest items (put in
 * between the frame's head and tail), and the way into the feed's archive.
 */
export function renderFeedPage(site: SiteSettings, group: FeedSummary): DocumentFrame {
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
  const top = `<p class="kicker">${kind}${origin}</p>
<h1>${escapeHtml(group.name)}</h1>
<p class="lede">${escapeHtml(group.description)}</p>
${renderPushCount(group)}
<section class="box" aria-labelledby="subscribe"><h2 id="subscribe">Subscribe</h2>
${renderFeedLinks(site, group.scope, group.name)}
<ol class="steps">
<li>Copy one of the addresses above. Not sure which? Take RSS: every feed reader understands it.</li>
<li>In your feed reader (NetNewsWire, Feedly, Inoreader, Miniflux, Thunderbird, newsboat…), choose <q>Add feed</q> or <q>Subscribe</q> and paste it.</li>
<li>Or paste this page's address, <code>${escapeHtml(pageUrl)}</code>: readers find its feeds by themselves.</li>
</ol>
${renderFollowHint(site, group.scope)}</section>
<section aria-labelledby="latest"><h2 id="latest">Latest articles <span class="count">(${shown}${group.total > 0 ? `, updated ${renderDay(group.updated)}` : ''})</span></h2>
`;
  const bottom = `${renderArchiveLink(group)}</section>`;
  const layout = (body: string) =>
    renderPageLayout({
      site,
      title: group.title,
      description: group.description,
      feeds: { scope: group.scope, title: group.title },
      body,
    });
  if (group.articles.length === 0) {
    return { head: layout(`${top}<p>No articles yet.</p>\n${bottom}`), separator: '', tail: '' };
  }
  const [head, tail] = splitAt(layout(`${top}<ol class="items">\n${ITEMS}\n</ol>\n${bottom}`));
  return { head, separator: '\n', tail };
}

/** Where the items go in a page's markup, split out once the layout is rendered. */
export const ITEMS = '\u0000items\u0000';

/** A rendered page split at the items' place. */
export function splitAt(page: string): [string, string] {
  const at = page.indexOf(ITEMS);
  return [page.slice(0, at), page.slice(at + ITEMS.length)];
}

/**
 * The worker fills this with the feed's count of WebSub push subscribers at serve time
 * (a page is rendered once per build; the count changes between builds).
 */
export function renderPushCount(group: FeedSummary): string {
  return `<p class="push-count" data-push-feed="${escapeHtml(scopeDirectory(group.scope))}" hidden></p>`;
}

/** The link into the feed's RFC 5005 archive: its newest sealed page. */
export function renderArchiveLink(group: FeedSummary): string {
  if (group.archivePages === 0) return '';
  const older = group.total - group.articles.length;
  return `<p class="more"><a href="${escapeHtml(archivePagePath(group.scope, group.archivePages))}">Older articles</a> <span class="count">(${count(older)} more, in ${group.archivePages} archive ${group.archivePages === 1 ? 'page' : 'pages'})</span></p>\n`;
}

export function count(n: number): string {
  return `${n} ${n === 1 ? 'article' : 'articles'}`;
}
