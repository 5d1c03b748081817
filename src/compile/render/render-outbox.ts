import { outboxPagePath, outboxPath } from '../../core/actor-paths.ts';
import type { FeedScope } from '../../core/document-paths.ts';
import { type FeedSummary, type SiteSettings, siteLink } from '../../core/feed-group.ts';
import type { ArticleCore } from '../../core/published-article.ts';

const AS_CONTEXT = 'https://www.w3.org/ns/activitystreams';

/**
 * A feed's outbox (ActivityPub §5.1), an OrderedCollection of every article as a `Create`:
 * `totalItems` is the feed's article count, and its pages are the feed's own. Sealed page k
 * (`{feed}/archive/k/outbox`) holds exactly the items of RFC 5005 archive page k, so, like it, it
 * never changes when newer articles arrive; `{feed}/outbox-latest` holds the items after the last sealed
 * page. `first` is the newest page that has items, `last` page 1. Pages list newest first
 * and link only to the older page (`next`): a link to a newer one would change a sealed
 * page's bytes when the next page is sealed.
 */
export function renderOutbox(site: SiteSettings, group: FeedSummary, pageSize: number): string {
  const latest = latestOutboxItems(group, pageSize);
  const first = latest.length > 0 || group.archivePages === 0 ? 'latest' : group.archivePages;
  const collection = {
    '@context': AS_CONTEXT,
    id: siteLink(site, outboxPath(group.scope)),
    type: 'OrderedCollection',
    totalItems: group.total,
    first: siteLink(site, outboxPagePath(group.scope, first)),
    last: siteLink(site, outboxPagePath(group.scope, group.archivePages > 0 ? 1 : 'latest')),
  };
  return `${JSON.stringify(collection, null, 2)}\n`;
}

/** The items after the last sealed page, oldest first. */
export function latestOutboxItems<A extends ArticleCore>(
  group: { items: A[]; archivePages: number },
  pageSize: number,
): A[] {
  return group.items.slice(group.archivePages * pageSize);
}

/**
 * One outbox page around its items (each a Create, one JSON object; newest first): `page`
 * is `latest` or a sealed page's number. Returns the text before and after the items.
 */
export function outboxPageFrame(
  site: SiteSettings,
  scope: FeedScope,
  page: number | 'latest',
  archivePages: number,
): { head: string; separator: string; tail: string } {
  const older = page === 'latest' ? archivePages : page - 1;
  const head = [
    '{',
    `"@context": ${JSON.stringify(AS_CONTEXT)},`,
    `"id": ${JSON.stringify(siteLink(site, outboxPagePath(scope, page)))},`,
    '"type": "OrderedCollectionPage",',
    `"partOf": ${JSON.stringify(siteLink(site, outboxPath(scope)))},`,
    older > 0 ? `"next": ${JSON.stringify(siteLink(site, outboxPagePath(scope, older)))},` : '',
    '"orderedItems": [\n',
  ]
    .filter((line) => line !== '')
    .join('\n');
  return { head, separator: ',\n', tail: '\n]\n}\n' };
}
