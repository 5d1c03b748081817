import { feedPath, pagePath } from '../../core/document-paths.ts';
import type { FeedSummary, SiteSettings } from '../../core/feed-group.ts';
import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';

/** OPML 2.0 (http://opml.org/spec2.opml): one RSS outline per feed, grouped. */
export function renderOpml(site: SiteSettings, groups: FeedSummary[], updated: number): string {
  const outline = (g: FeedSummary) =>
    `      <outline type="rss" text="${escapeHtml(g.title)}" title="${escapeHtml(g.title)}" xmlUrl="${escapeHtml(site.siteUrl + feedPath(g.scope, 'rss.xml'))}" htmlUrl="${escapeHtml(site.siteUrl + pagePath(g.scope))}"/>`;
  const section = (text: string, list: FeedSummary[]) =>
    list.length === 0
      ? ''
      : `    <outline text="${escapeHtml(text)}">\n${list.map(outline).join('\n')}\n    </outline>\n`;
  const siteGroups = groups.filter((g) => g.scope.kind === 'site');
  return `<?xml version="1.0" encoding="utf-8"?>
<opml version="2.0">
  <head>
    <title>${escapeHtml(site.title)}</title>
    <dateModified>${new Date(updated).toUTCString()}</dateModified>
  </head>
  <body>
${siteGroups.map((g) => outline(g).slice(2)).join('\n')}
${section(
  'Topics',
  groups.filter((g) => g.scope.kind === 'topic'),
)}${section(
  'Sources',
  groups.filter((g) => g.scope.kind === 'provider'),
)}  </body>
</opml>
`;
}
