import type { PublishedArticle } from '../../core/published-article.ts';
import { escapeXml } from '../../core/xml-escape.ts';

/** The summary as HTML: the excerpt's own markup, or its text escaped. */
export function renderSummaryHtml(article: PublishedArticle): string | undefined {
  if (article.summaryHtml) return article.summaryHtml;
  return article.summaryText ? escapeXml(article.summaryText) : undefined;
}

/**
 * The item's HTML content: the summary, then the featured embed (video) where present,
 * then "Also covered by" with each related article's title, provider and link. Undefined
 * when there is nothing beyond the summary.
 */
export function renderContentHtml(article: PublishedArticle): string | undefined {
  const parts: string[] = [];
  if (article.featuredHtml) parts.push(`<div>${article.featuredHtml}</div>`);
  if (article.related.length > 0) {
    const items = article.related.map((r) => {
      const by = r.providerName ? ` — ${escapeXml(r.providerName)}` : '';
      return `<li><a href="${escapeXml(r.url)}">${escapeXml(r.title)}</a>${by}</li>`;
    });
    parts.push(`<p>Also covered by:</p><ul>${items.join('')}</ul>`);
  }
  if (parts.length === 0) return undefined;
  const summary = renderSummaryHtml(article);
  return (summary ? `<p>${summary}</p>` : '') + parts.join('');
}
