import { escapeHtml, guardCdataHtml } from './escape-markup.ts';
import type { PublishedArticle } from './published-article.ts';

/**
 * The item's HTML content: the featured embed (video) where present, then "Also covered
 * by" with each related article's title, provider and link. Undefined when neither exists.
 */
export function renderContentHtml(article: PublishedArticle): string | undefined {
  const parts: string[] = [];
  if (article.featuredHtml) parts.push(`<div>${article.featuredHtml}</div>`);
  if (article.related.length > 0) {
    const items = article.related.map((r) => {
      const by = r.providerName ? ` — ${escapeHtml(r.providerName)}` : '';
      return `<li><a href="${escapeHtml(r.url)}">${escapeHtml(r.title)}</a>${by}</li>`;
    });
    parts.push(`<p>Also covered by:</p><ul>${items.join('')}</ul>`);
  }
  if (parts.length === 0) return undefined;
  const summary =
    article.summaryHtml ?? (article.summaryText ? escapeHtml(article.summaryText) : '');
  return guardCdataHtml((summary ? `<p>${summary}</p>` : '') + parts.join(''));
}

/** The summary as HTML: the excerpt's own markup, or its text escaped. */
export function renderSummaryHtml(article: PublishedArticle): string | undefined {
  if (article.summaryHtml) return guardCdataHtml(article.summaryHtml);
  return article.summaryText ? escapeHtml(article.summaryText) : undefined;
}
