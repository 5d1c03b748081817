import { FEED_FORMATS, type FeedScope, feedPath } from '../../core/document-paths.ts';
import type { SiteSettings } from '../../core/feed-group.ts';
import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';

export const FORMAT_LABELS = {
  'rss.xml': 'RSS',
  'atom.xml': 'Atom',
  'feed.json': 'JSON Feed',
} as const;
const FORMAT_TYPES = {
  'rss.xml': 'application/rss+xml',
  'atom.xml': 'application/atom+xml',
  'feed.json': 'application/feed+json',
} as const;

/**
 * The shell of every HTML page: landmarks (banner, navigation, main, contentinfo) and a
 * skip link, the stylesheet (a file, so the CSP needs no inline style or script), and
 * `<link rel="alternate">` autodiscovery for the page's own three feeds, which is how a
 * reader given the page's URL finds them (RSS Board "RSS Autodiscovery"; HTML Living
 * Standard §4.6.7.1 "Link type alternate").
 */
export function renderPageLayout(options: {
  site: SiteSettings;
  title: string;
  description: string;
  feeds: { scope: FeedScope; title: string };
  body: string;
}): string {
  const { site, title, description, feeds, body } = options;
  const alternates = FEED_FORMATS.map(
    (format) =>
      `<link rel="alternate" type="${FORMAT_TYPES[format]}" title="${escapeHtml(`${feeds.title} (${FORMAT_LABELS[format]})`)}" href="${escapeHtml(site.siteUrl + feedPath(feeds.scope, format))}">`,
  ).join('\n');
  return `<!doctype html>
<html lang="${escapeHtml(site.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${escapeHtml(title)}</title>
<meta name="description" content="${escapeHtml(description)}">
<link rel="stylesheet" href="/style.css">
<link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48">
<link rel="icon" href="/icon.svg" type="image/svg+xml">
<link rel="apple-touch-icon" href="/apple-touch-icon.png">
${alternates}
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="site"><a class="home" href="/"><img src="/icon.svg" alt="" width="24" height="24">${escapeHtml(site.title)}</a>
<nav aria-label="Site"><a href="/#topics">Topics</a> <a href="/#providers">Sources</a> <a href="/opml.xml">OPML</a></nav></header>
<main id="content">
${body}
</main>
<footer class="site"><p><a href="/opml.xml">OPML (every feed, for importing)</a> · <a href="/feeds.json">feeds.json</a> · Served by edgefeed</p></footer>
</body>
</html>
`;
}

/**
 * A feed's three formats, each as a link and as its absolute URL in a read-only text
 * field: select it (one click or tap, then copy) — copying works without any script,
 * which the pages' Content-Security-Policy forbids anyway.
 */
export function renderFeedLinks(site: SiteSettings, scope: FeedScope, name: string): string {
  const links = FEED_FORMATS.map((format) => {
    const url = site.siteUrl + feedPath(scope, format);
    const label = `${FORMAT_LABELS[format]} feed URL of ${name}`;
    return `<li><a href="${escapeHtml(url)}" type="${FORMAT_TYPES[format]}" aria-label="${escapeHtml(`${FORMAT_LABELS[format]} feed of ${name}`)}">${FORMAT_LABELS[format]}</a><input class="copy" readonly value="${escapeHtml(url)}" aria-label="${escapeHtml(label)}" spellcheck="false"></li>`;
  });
  return `<ul class="feeds">${links.join('')}</ul>`;
}

/** The three format links alone, for the compact rows of the index. */
export function renderFormatLinks(site: SiteSettings, scope: FeedScope, name: string): string {
  return `<span class="formats">${FEED_FORMATS.map(
    (format) =>
      `<a href="${escapeHtml(site.siteUrl + feedPath(scope, format))}" type="${FORMAT_TYPES[format]}" aria-label="${escapeHtml(`${FORMAT_LABELS[format]} feed of ${name}`)}">${FORMAT_LABELS[format]}</a>`,
  ).join(' ')}</span>`;
}

/** A date as people read it, fixed to UTC so builds are reproducible, in `<time>`. */
export function renderDay(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `<time datetime="${iso}">${iso.slice(0, 10)}</time>`;
}
