import { pagePath } from '../../core/document-paths.ts';
import type { PublishedArticle } from '../../core/published-article.ts';
import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';
import { renderDay } from './render-page-layout.ts';

const SUMMARY_LENGTH = 280;

/**
 * One article on an HTML page (a feed's page or an archive page). The thumbnail is
 * decorative (`alt=""`: the linked title beside it says what it shows, WCAG 2.2 H67) and
 * sends no Referer to the image host.
 */
export function renderPageItem(a: PublishedArticle): string {
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
