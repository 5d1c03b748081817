import {
  archiveFeedPath,
  archivePagePath,
  FEED_FORMATS,
  pagePath,
} from '../../core/document-paths.ts';
import type { FeedSummary, SiteSettings } from '../../core/feed-group.ts';
import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';
import type { DocumentFrame } from './document-frame.ts';
import { ITEMS, splitAt } from './render-feed-page.ts';
import { FORMAT_LABELS, renderDay, renderPageLayout } from './render-page-layout.ts';

/**
 * `{feed}/archive/{k}/`: archive page k for people, newest item first, with the way to the
 * older and newer pages and to the page's own three feed documents. Unlike those documents
 * it may change: its "newer" link moves from the feed's page to page k+1 once that page is
 * sealed, so it is served like any page, not as immutable.
 */
export function renderArchivePage(
  site: SiteSettings,
  group: FeedSummary,
  page: number,
  pageSize: number,
  newest: number,
): DocumentFrame {
  const first = (page - 1) * pageSize + 1;
  const last = page * pageSize;
  // Neither the feed's total nor its page count: they grow with every new article, and this
  // page should change only when the next page is sealed (its "newer" link moves).
  const title = `${group.name}: archive page ${page}`;
  const feedPage = pagePath(group.scope);
  const newer =
    page < group.archivePages
      ? `<a href="${escapeHtml(archivePagePath(group.scope, page + 1))}" rel="next">Newer: page ${page + 1}</a>`
      : `<a href="${escapeHtml(feedPage)}">Newer: the latest articles</a>`;
  const older =
    page > 1
      ? `<a href="${escapeHtml(archivePagePath(group.scope, page - 1))}" rel="prev">Older: page ${page - 1}</a>`
      : '<span>This is the oldest page.</span>';
  const nav = `<nav class="pager" aria-label="Archive pages">${older} ${newer}</nav>`;
  const formats = FEED_FORMATS.map(
    (format) =>
      `<a href="${escapeHtml(site.siteUrl + archiveFeedPath(group.scope, page, format))}">${FORMAT_LABELS[format]}</a>`,
  ).join(' ');
  const body = `<p class="kicker"><a href="${escapeHtml(feedPage)}">${escapeHtml(group.name)}</a> · archive</p>
<h1>${escapeHtml(title)}</h1>
<p class="lede">Articles ${first}–${last}, oldest first across pages, newest first on this one${newest > 0 ? `; the newest here is from ${renderDay(newest)}` : ''}. This page as a feed: ${formats}.</p>
${nav}
<ol class="items">
${ITEMS}
</ol>
${nav}`;
  const [head, tail] = splitAt(
    renderPageLayout({
      site,
      title: `${title} — ${site.title}`,
      description: `Archive page ${page} of ${group.title}.`,
      feeds: { scope: group.scope, title: group.title },
      body,
    }),
  );
  return { head, separator: '\n', tail };
}
