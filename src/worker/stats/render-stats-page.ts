import { FEED_FORMATS } from '../../core/document-paths.ts';
import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';
import type { FeedStats, GroupStats, ReaderParts, StatsView } from './feed-stats.ts';
import { HISTORY_DAYS } from './read-feed-stats.ts';
import { renderSparkline } from './render-sparkline.ts';

// Tables are the one thing /style.css has no rules for; inline style is allowed by the
// pages' CSP (style-src 'unsafe-inline'), script is not and none is needed.
const STYLE = `main{max-width:62rem}
header.site,footer.site{padding-inline:max(1rem,calc((100% - 60rem)/2))}
table.stats{width:100%;border-collapse:collapse;font-size:.92rem;font-variant-numeric:tabular-nums}
table.stats th,table.stats td{padding:.45rem .55rem;border-bottom:1px solid var(--line);text-align:right;vertical-align:middle;white-space:nowrap}
table.stats th[scope=row]{text-align:left;white-space:normal;font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;min-width:12rem}
table.stats thead th{font-weight:600;color:var(--muted);border-bottom-width:2px}
table.stats thead th:first-child{text-align:left}
table.stats .readers strong{font-size:1.1rem}
table.stats small{display:block;color:var(--muted);font-size:.8rem}
table.stats svg.spark{color:var(--accent);display:block;margin-left:auto}
.scroll{overflow-x:auto}`;

/**
 * GET /stats: every subscription document's estimated readers (and what they are made
 * of), requests over 30 days, share of 304s, 429s, bytes and a 30-day sparkline of
 * readers, most readers first; above it the same per feed group (a feed's three formats).
 * Same stylesheet, landmarks and CSP as the build's pages.
 */
export function renderStatsPage(view: StatsView): string {
  const when = new Date(view.now).toISOString();
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
<p class="lede">Estimated readers at <time datetime="${when}">${when.slice(0, 16).replace('T', ' ')} UTC</time>: subscribers reported by aggregators in the last 3 days, other readers of the last 24 hours, and WebSub subscriptions; followers are ActivityPub accounts following the feed. Requests, 304s, 429s and bytes are for the last ${HISTORY_DAYS} days.</p>
<h2>Feeds</h2>
<div class="scroll"><table class="stats">
<thead><tr><th scope="col">Feed</th><th scope="col">Readers</th><th scope="col">Followers</th><th scope="col">RSS · Atom · JSON</th><th scope="col">Requests</th><th scope="col">304s</th><th scope="col">Bytes</th></tr></thead>
<tbody>
${view.groups.map(groupRow).join('\n')}
</tbody>
</table></div>
<h2>Documents</h2>
<div class="scroll"><table class="stats">
<thead><tr><th scope="col">Document</th><th scope="col">Readers</th><th scope="col">Requests</th><th scope="col">304s</th><th scope="col">429s</th><th scope="col">Bytes</th><th scope="col">Readers per day</th></tr></thead>
<tbody>
${view.feeds.map(feedRow).join('\n')}
</tbody>
</table></div>
<p class="meta">Readers: aggregators · other readers · WebSub. No client address is stored; see docs/stats.md.</p>
</main>
<footer class="site"><p>Shown only with the stats token · Served by edgefeed</p></footer>
</body>
</html>
`;
}

function groupRow(group: GroupStats): string {
  const byFormat = FEED_FORMATS.map((format) => {
    const feed = group.feeds.find((f) => f.path.endsWith(`/${format}`));
    return feed === undefined ? '–' : number(feed.readers);
  }).join(' · ');
  return `<tr><th scope="row">${breakable(group.folder)}</th>${readersCell(group.readers, group.parts)}<td>${number(group.followers)}</td><td>${byFormat}</td><td>${number(group.requests)}</td><td>${share(group.notModified, group.requests)}</td><td>${bytes(group.bytes)}</td></tr>`;
}

function feedRow(feed: FeedStats & { parts: ReaderParts }): string {
  const perDay = feed.days.map((day) => day.readers);
  const label = `Readers of ${feed.path} per day, ${feed.days[0]?.date} to ${feed.days.at(-1)?.date}: ${perDay.join(', ')}`;
  return `<tr><th scope="row"><a href="${escapeHtml(feed.path)}">${breakable(feed.path)}</a></th>${readersCell(feed.readers, feed.parts)}<td>${number(feed.requests)}</td><td>${share(feed.notModified, feed.requests)}</td><td>${number(feed.tooManyRequests)}</td><td>${bytes(feed.bytes)}</td><td>${renderSparkline(perDay, label)}</td></tr>`;
}

function readersCell(readers: number, p: ReaderParts): string {
  return `<td class="readers"><strong>${number(readers)}</strong><small>${number(p.aggregators)} · ${number(p.others)} · ${number(p.websub)}</small></td>`;
}

/** A path that may wrap after each slash, never inside a name. */
function breakable(path: string): string {
  return escapeHtml(path).replaceAll('/', '/<wbr>');
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
