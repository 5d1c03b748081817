import { archiveFeedPath, type FeedFormat, feedPath, pagePath } from '../../core/document-paths.ts';
import type { SiteSettings } from '../../core/feed-group.ts';
import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';
import type { DocumentFrame } from './document-frame.ts';
import type { FeedDocument } from './feed-document.ts';
import { ITEMS, splitAt } from './render-feed-page.ts';
import { FORMAT_LABELS, renderFeedLinks, renderPageLayout } from './render-page-layout.ts';

/**
 * What a person gets who opens a feed's URL in a browser (the worker answers a navigation,
 * `Sec-Fetch-Dest: document` with `Sec-Fetch-Mode: navigate`, with it; readers get the
 * feed): what this is, how to subscribe (the URL they opened, to copy; the other formats;
 * the OPML), and the document's items as the feed's HTML page shows them. Pre-rendered for
 * every subscription and archive document, from the same inputs as the feed itself.
 */
export function renderFeedView(
  site: SiteSettings,
  doc: FeedDocument,
  format: FeedFormat,
): DocumentFrame {
  const archive = doc.paging.kind === 'archive' ? doc.paging.page : undefined;
  const self =
    site.siteUrl +
    (archive === undefined
      ? feedPath(doc.scope, format)
      : archiveFeedPath(doc.scope, archive, format));
  const label = FORMAT_LABELS[format];
  const pageUrl = site.siteUrl + pagePath(doc.scope);
  const what =
    archive === undefined
      ? `This is the ${label} feed of <a href="${escapeHtml(pageUrl)}">${escapeHtml(doc.name)}</a>: an address a feed reader checks for new articles, so you do not have to. You opened it in a browser, so here it is as a page; a feed reader gets the feed itself.`
      : `This is archive page ${archive} of the ${label} feed of <a href="${escapeHtml(pageUrl)}">${escapeHtml(doc.name)}</a>: ${doc.articles.length} older articles, kept at this address for good (RFC 5005). Feed readers that read archives find it from the feed; to subscribe, use the feed's own address below.`;
  const copy = archive === undefined ? self : site.siteUrl + feedPath(doc.scope, format);
  const top = `<p class="kicker">${escapeHtml(label)} feed${archive === undefined ? '' : ` · archive page ${archive}`}</p>
<h1>${escapeHtml(doc.name)}</h1>
<p class="lede">${what}</p>
<section class="box" aria-labelledby="subscribe"><h2 id="subscribe">Subscribe</h2>
<p><label for="feed-url">Copy this address into your feed reader (NetNewsWire, Feedly, Inoreader, Miniflux, Thunderbird, newsboat…), where it says <q>Add feed</q> or <q>Subscribe</q>:</label></p>
<p><input class="copy" id="feed-url" readonly value="${escapeHtml(copy)}" spellcheck="false"></p>
<p>The same feed in every format:</p>
${renderFeedLinks(site, doc.scope, doc.name)}
<p>Or import every feed of ${escapeHtml(site.title)} at once: <a href="${escapeHtml(`${site.siteUrl}/opml.xml`)}">OPML list</a>.</p></section>
<section aria-labelledby="items"><h2 id="items">${archive === undefined ? 'Newest articles' : 'Articles on this page'} <span class="count">(${doc.articles.length})</span></h2>
`;
  const bottom = `<p class="more"><a href="${escapeHtml(pageUrl)}">${escapeHtml(doc.name)}: all articles and archives</a></p></section>`;
  const layout = (body: string) =>
    renderPageLayout({
      site,
      title: `${doc.title} (${label} feed)`,
      description: doc.description,
      feeds: { scope: doc.scope, title: doc.title },
      body,
    });
  if (doc.articles.length === 0) {
    return { head: layout(`${top}<p>No articles yet.</p>\n${bottom}`), separator: '', tail: '' };
  }
  const [head, tail] = splitAt(layout(`${top}<ol class="items">\n${ITEMS}\n</ol>\n${bottom}`));
  return { head, separator: '\n', tail };
}
