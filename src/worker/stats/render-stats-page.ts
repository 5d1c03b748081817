import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';
import type { ReaderParts, StatsView } from './feed-stats.ts';
import { HISTORY_DAYS } from './read-feed-stats.ts';
import { renderSparkline } from './render-sparkline.ts';

// Tables are the one thing /style.css has no rules for; inline style is allowed by the
// pages' CSP (style-src 'unsafe-inline'), script is not and none is needed.
const STYLE = `table.stats{width:100%;border-collapse:collapse;font-size:.92rem;font-variant-numeric:tabular-nums}
table.stats th,table.stats td{padding:.4rem .5rem;border-bottom:1px solid var(--line);text-align:right;vertical-align:middle;white-space:nowrap}
table.stats th:first-child,table.stats td:first-child{text-align:left;white-space:normal}
table.stats thead th{font-weight:600;color:var(--muted);border-bottom-width:2px}
table.stats td.readers{font-weight:700;font-size:1.05rem}
table.stats .parts{color:var(--muted);font-size:.85rem}
table.stats svg.spark{color:var(--accent);display:block;margin-left:auto}
.scroll{overflow-x:auto}
main{max-width:64rem}`;

/**
 * GET /stats: every subscription document's estimated readers, requests over 30 days,
 * share of 304s, bytes and a 30-day sparkline of readers, most readers first; and the
 * same per feed group above it. Same layout, stylesheet and CSP as the build's pages.
 */
export function renderStatsPage(view: StatsView): string {
  const when = new Date(view.now).toISOString();
  const groups = view.groups
    .map(
      (group) =>
        `<tr><th scope="row"><code>${escapeHtml(group.folder)}</code></th><td class="readers">${number(group.readers)}</td><td class="parts">${parts(group.parts)}</td><td class="parts">${group.feeds.map((feed) => `${escapeHtml(formatOf(feed.path))} ${number(feed.readers)}`).join(' · ')}</td><td>${number(group.requests)}</td><td>${share(group.notModified, group.requests)}</td><td>${bytes(group.bytes)}</td></tr>`,
    )
    .join('\n');
  const feeds = view.feeds
    .map(
      (feed) =>
        `<tr><th scope="row"><a href="${escapeHtml(feed.path)}"><code>${escapeHtml(feed.path)}</code></a></th><td class="readers">${number(feed.readers)}</td><td class="parts">${parts(feed.parts)}</td><td>${number(feed.requests)}</td><td>${share(feed.notModified, feed.requests)}</td><td>${number(feed.tooManyRequests)}</td><td>${bytes(feed.bytes)}</td><td>${renderSparkline(
          feed.days.map((day) => day.readers),
          `Readers of ${feed.path} per day, last ${HISTORY_DAYS} days: ${feed.days.map((day) => day.readers).join(', ')}`,
        )}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex">
<title>Readers · edgefeed</title>
<link rel="stylesheet" href="/style.css">
<link rel="icon" href="/icon.svg" type="image/svg+xml">
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#content">Skip to content</a>
<header class="site"><a class="home" href="/"><img src="/icon.svg" alt="" width="24" height="24">edgefeed</a>
<nav aria-label="Site"><a href="/">Feeds</a> <a href="/opml.xml">OPML</a></nav></header>
<main id="content">
<h1>Who reads us</h1>
<p class="lede">Estimated readers of every feed at <time datetime="${when}">${when.slice(0, 16).replace('T', ' ')} UTC</time>: the subscribers aggregators reported in the last 3 days, the other readers of the last 24 hours and the WebSub subscriptions. Requests, 304s and bytes are over the last ${HISTORY_DAYS} days.</p>
<h2>Feeds</h2>
<div class="scroll"><table class="stats">
<thead><tr><th scope="col">Feed</th><th scope="col">Readers</th><th scope="col">aggregators · readers · WebSub</th><th scope="col">by format</th><th scope="col">Requests</th><th scope="col">304s</th><th scope="col">Bytes</th></tr></thead>
<tbody>
${groups}
</tbody>
</table></div>
<h2>Documents</h2>
<div class="scroll"><table class="stats">
<thead><tr><th scope="col">Document</th><th scope="col">Readers</th><th scope="col">aggregators · readers · WebSub</th><th scope="col">Requests</th><th scope="col">304s</th><th scope="col">429s</th><th scope="col">Bytes</th><th scope="col">Readers, ${HISTORY_DAYS} days</th></tr></thead>
<tbody>
${feeds}
</tbody>
</table></div>
</main>
<footer class="site"><p>Only this page and <code>/stats.json</code> show these numbers, to holders of the stats token. No client address is stored. Served by edgefeed</p></footer>
</body>
</html>
`;
}

function parts(p: ReaderParts): string {
  return `${number(p.aggregators)} · ${number(p.others)} · ${number(p.websub)}`;
}

function formatOf(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name === 'rss.xml'
    ? 'RSS'
    : name === 'atom.xml'
      ? 'Atom'
      : name === 'feed.json'
        ? 'JSON'
        : name;
}

function number(value: number): string {
  return value.toLocaleString('en-US');
}

function share(part: number, whole: number): string {
  return whole === 0 ? '–' : `${Math.round((part / whole) * 100)} %`;
}

/** Bytes in SI units, as people read them: 0 B, 950 B, 12.3 kB, 4.1 MB. */
export function bytes(value: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let scaled = value;
  let unit = 0;
  while (scaled >= 1000 && unit < units.length - 1) {
    scaled /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${scaled} B` : `${scaled.toFixed(scaled < 10 ? 1 : 0)} ${units[unit]}`;
}
