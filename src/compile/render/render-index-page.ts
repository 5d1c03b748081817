import { pagePath } from '../../core/document-paths.ts';
import type { FeedSummary, SiteSettings } from '../../core/feed-group.ts';
import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';
import { renderArchiveLink, renderPushCount } from './render-feed-page.ts';
import { renderFollowHint } from './render-follow-hint.ts';
import {
  renderDay,
  renderFeedLinks,
  renderFormatLinks,
  renderPageLayout,
} from './render-page-layout.ts';

/** How deep the index nests topics; deeper descendants are still listed, one level up. */
const MAX_DEPTH = 8;

/** `/`: every feed of the site, topics nested under their parents, providers by name. */
export function renderIndexPage(
  site: SiteSettings,
  siteGroup: FeedSummary,
  topics: FeedSummary[],
  providers: FeedSummary[],
): string {
  const children = new Map<string, FeedSummary[]>();
  const known = new Set(topics.map((t) => t.scope.kind === 'topic' && t.scope.key));
  for (const t of topics) {
    if (t.parent === undefined || !known.has(t.parent)) continue;
    children.set(t.parent, [...(children.get(t.parent) ?? []), t]);
  }
  const roots = topics.filter((t) => t.parent === undefined || !known.has(t.parent));
  const seen = new Set<FeedSummary>();
  const topicTree = (list: FeedSummary[], depth: number): string =>
    `<ul class="groups">${list
      .map((t) => {
        seen.add(t);
        const key = t.scope.kind === 'topic' ? t.scope.key : '';
        // A parent cycle in the taxonomy must not loop: each topic is listed once.
        const kids = (children.get(key) ?? []).filter((k) => !seen.has(k));
        const nested = kids.length > 0 && depth < MAX_DEPTH ? topicTree(kids, depth + 1) : '';
        return `<li>${renderEntry(site, t)}${nested}</li>`;
      })
      .join('')}</ul>`;
  let topicList = topicTree(roots, 0);
  // Topics whose parents form a cycle have no root; list them flat rather than lose them.
  const orphans = topics.filter((t) => !seen.has(t));
  if (orphans.length > 0) topicList += topicTree(orphans, MAX_DEPTH);

  const body = `<h1>${escapeHtml(site.title)}</h1>
<p class="lede">${escapeHtml(site.description)}</p>
<section class="box" aria-labelledby="all"><h2 id="all">Everything</h2>
<p class="meta">${count(siteGroup.total)}${siteGroup.total > 0 ? ` · updated ${renderDay(siteGroup.updated)}` : ''}</p>
${renderPushCount(siteGroup)}
${renderFeedLinks(site, { kind: 'site' }, site.title)}
${renderArchiveLink(siteGroup)}<p>Paste one of these addresses into your feed reader, or give it this page's address: it finds the feeds by itself. Every topic and source below has its own feeds; to follow all of them at once, import the <a href="/opml.xml">OPML subscription list</a>.</p>
${renderFollowHint(site, { kind: 'site' })}</section>
<section aria-labelledby="topics"><h2 id="topics">Topics <span class="count">(${topics.length})</span></h2>
${topics.length > 0 ? topicList : '<p>No topics yet.</p>'}</section>
<section aria-labelledby="providers"><h2 id="providers">Sources <span class="count">(${providers.length})</span></h2>
${providers.length > 0 ? `<ul class="groups">${providers.map((p) => `<li>${renderEntry(site, p)}</li>`).join('')}</ul>` : '<p>No sources yet.</p>'}</section>`;

  return renderPageLayout({
    site,
    title: site.title,
    description: site.description,
    feeds: { scope: { kind: 'site' }, title: site.title },
    body,
  });
}

/** One row of the index: the page link, counts, the three feeds and their URLs to copy. */
function renderEntry(site: SiteSettings, group: FeedSummary): string {
  const name = escapeHtml(group.name);
  return `<div class="entry"><a class="name" href="${escapeHtml(pagePath(group.scope))}">${name}</a> <span class="meta">${count(group.total)} · updated ${renderDay(group.updated)}</span> ${renderFormatLinks(site, group.scope, group.name)}</div>
<details class="copy"><summary>Copy feed URLs<span class="visually-hidden"> of ${name}</span></summary>${renderFeedLinks(site, group.scope, group.name)}</details>`;
}

function count(n: number): string {
  return `${n} ${n === 1 ? 'article' : 'articles'}`;
}
