import { handleOf } from '../../core/actor-paths.ts';
import type { FeedScope } from '../../core/document-paths.ts';
import type { SiteSettings } from '../../core/feed-group.ts';
import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';

/**
 * How to follow a feed from the fediverse (docs/activitypub.md): its handle, to search for
 * on Mastodon or any other server. Empty for a feed without an actor.
 */
export function renderFollowHint(site: SiteSettings, scope: FeedScope): string {
  const handle = handleOf(scope);
  if (handle === undefined) return '';
  const account = `@${handle}@${new URL(site.siteUrl).host}`;
  return `<p class="follow">On Mastodon or elsewhere in the fediverse: search for <code>${escapeHtml(account)}</code> and follow it.</p>\n`;
}
