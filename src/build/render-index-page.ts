import { type FeedScope, pagePath } from '../core/document-paths.ts';
import type { FeedGroup, SiteSettings } from './feed-group.ts';
import { formatDay, renderFeedLinks, renderPageLayout } from './render-page-layout.ts';
import { escapeXml as escapeHtml } from './xml-escape.ts';

/** `/`: every feed of the site, topics nested under their parents, providers by name. */
export function renderIndexPage(
  site: SiteSettings,
  siteGroup: FeedGroup,
  topics: FeedGroup[],
  providers: FeedGroup[],
): string {
  const children = new Map<string | undefined, FeedGroup[]>();
  for (const t of topics) {
    const list = children.get(t.parent) ?? [];
    list.push(t);
    children.set(t.parent, list);
  }
  const known = new Set(topics.map((t) => (t.scope.kind === 'topic' ? t.scope.key : '')));
  const roots = topics.filter((t) => t.parent === undefined || !known.has(t.parent));
  const topicTree = (list: FeedGroup[], depth: number): string =>
    `<ul class="groups">${list
      .map((t) => {
        const key = t.scope.kind === 'topic' ? t.scope.key : '';
        const kids = depth < 8 ? (children.get(key) ?? []) : [];
        return `<li>${entry(site, t)}${kids.length > 0 ? topicTree(kids, depth + 1) : ''}</li>`;
      })
      .join('')}</ul>`;

  const body = `<h1>${escapeHtml(site.title)}</h1>
<p class="lede">${escapeHtml(site.description)}</p>
<section aria-labelledby="all"><h2 id="all">Everything</h2>
<p>${count(siteGroup.total)}${siteGroup.total > 0 ? `, updated ${formatDay(siteGroup.updated)}` : ''}.</p>
${renderFeedLinks(site, { kind: 'site' })}
<p>Subscribe to every feed at once: <a href="/opml.xml">OPML</a>.</p></section>
<section aria-labelledby="topics"><h2 id="topics">Topics (${topics.length})</h2>
${topics.length > 0 ? topicTree(roots, 0) : '<p>No topics yet.</p>'}</section>
<section aria-labelledby="providers"><h2 id="providers">Sources (${providers.length})</h2>
${providers.length > 0 ? `<ul class="groups">${providers.map((p) => `<li>${entry(site, p)}</li>`).join('')}</ul>` : '<p>No sources yet.</p>'}</section>`;

  return renderPageLayout({
    site,
    title: site.title,
    description: site.description,
    feeds: { scope: { kind: 'site' }, title: site.title },
    body,
  });
}

function entry(site: SiteSettings, group: FeedGroup): string {
  const scope: FeedScope = group.scope;
  return `<details><summary><a href="${escapeHtml(pagePath(scope))}">${escapeHtml(group.name)}</a> <span class="meta">${count(group.total)} · ${formatDay(group.updated)}</span></summary>${renderFeedLinks(site, scope)}</details>`;
}

function count(n: number): string {
  return `${n} ${n === 1 ? 'article' : 'articles'}`;
}
