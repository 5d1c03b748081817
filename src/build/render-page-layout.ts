import { FEED_FORMATS, type FeedScope, feedPath } from '../core/document-paths.ts';
import type { SiteSettings } from './feed-group.ts';
import { escapeXml as escapeHtml } from './xml-escape.ts';

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
 * The shell of every HTML page: landmarks, the stylesheet (a file, so the CSP needs no
 * inline style or script), and `<link rel="alternate">` autodiscovery for the page's own
 * feeds, which is how a reader given the page's URL finds them.
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
<link rel="icon" href="/icon.svg" type="image/svg+xml">
${alternates}
</head>
<body>
<header class="site"><a class="home" href="/">${escapeHtml(site.title)}</a></header>
<main>
${body}
</main>
<footer class="site"><a href="/opml.xml">OPML (all feeds)</a> · <a href="/feeds.json">feeds.json</a> · Made with edgefeed</footer>
</body>
</html>
`;
}

/** The three subscribe links of a feed, each with its absolute URL ready to copy. */
export function renderFeedLinks(site: SiteSettings, scope: FeedScope): string {
  const links = FEED_FORMATS.map((format) => {
    const url = site.siteUrl + feedPath(scope, format);
    return `<li><a href="${escapeHtml(url)}" type="${FORMAT_TYPES[format]}">${FORMAT_LABELS[format]}</a> <input class="copy" readonly value="${escapeHtml(url)}" aria-label="${FORMAT_LABELS[format]} feed URL" size="${Math.min(url.length, 60)}"></li>`;
  });
  return `<ul class="feeds">${links.join('')}</ul>`;
}

/** A date as people read it, fixed to UTC so builds are reproducible. */
export function formatDay(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}
