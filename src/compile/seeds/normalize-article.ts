import type { Article } from '../../core/article-schema.ts';
import {
  cleanBlock,
  cleanBlockAndCollapse,
  cleanLine,
  htmlToText,
  looksLikeHtml,
  type TextStats,
} from '../../core/clean-text.ts';
import type { PublishedArticle } from '../../core/published-article.ts';
import { sanitizeEmbed, sanitizeHtml } from './sanitize-html.ts';

/** Related coverage shown per item; more is noise in a reader. */
const MAX_RELATED = 10;

const ANGLE_BRACKETS = /[<>]/g;
const HAS_ANGLE_BRACKET = /[<>]/;

/** Applies text hygiene to every field and picks what the feeds show. */
export function normalizeArticle(
  file: string,
  article: Article,
  stats: TextStats,
  lines: number[] = [],
): PublishedArticle {
  const url = article.webUrl ?? article.originalUrl ?? '';
  const { block: excerpt, collapsed } = cleanBlockAndCollapse(article.excerpt ?? '', stats);
  const isHtml = looksLikeHtml(excerpt);
  const summaryText = isHtml ? htmlToText(excerpt) : collapsed;
  const featuredRaw = article.featuredContent ? cleanBlock(article.featuredContent, stats) : '';
  // Seed HTML reaches feed readers only rebuilt from an allowlist (sanitize-html.ts).
  const featured = featuredRaw ? (sanitizeEmbed(featuredRaw) ?? sanitizeHtml(featuredRaw)) : '';
  const image = article.images?.find((i) => i.url);
  const providerName = article.provider.name ? cleanLine(article.provider.name, stats) : '';
  const seenRelated = new Set<string>([url]);
  const related: PublishedArticle['related'] = [];
  for (const r of article.related ?? []) {
    const link = r.webUrl ?? r.originalUrl;
    const title = r.title ? cleanLine(r.title, stats) : '';
    if (!link || !title || seenRelated.has(link) || related.length >= MAX_RELATED) continue;
    seenRelated.add(link);
    const name = r.provider?.name ? cleanLine(r.provider.name, stats) : r.provider?.domain;
    related.push({ title, url: link, providerName: name || undefined });
  }
  const topicNames: string[] = [];
  const topicLines: number[] = [];
  for (const [index, raw] of (article.topics ?? []).entries()) {
    // Angle brackets have no place in a label and `feed` does not escape `<` in Atom's
    // category label attribute, so they are dropped from topic names.
    const line = cleanLine(raw, stats);
    // cleanLine trimmed already: only removing a bracket can bare a space at an end.
    const name = HAS_ANGLE_BRACKET.test(line) ? line.replace(ANGLE_BRACKETS, '').trim() : line;
    if (name) {
      topicNames.push(name);
      topicLines.push(lines[index] ?? 1);
    }
  }
  return {
    url,
    file,
    title: cleanLine(article.title, stats),
    summaryText: summaryText || undefined,
    summaryHtml: isHtml && excerpt ? sanitizeHtml(excerpt) : undefined,
    featuredHtml: featured.trim() || undefined,
    date: article.publishedDateTime.getTime(),
    provider: {
      domain: article.provider.domain,
      name: providerName || article.provider.domain,
      logo: article.provider.images?.find((i) => i.url)?.url,
    },
    topicNames,
    topicLines,
    topics: [],
    image: image?.url ? { url: image.url, width: image.width, height: image.height } : undefined,
    related,
  };
}
