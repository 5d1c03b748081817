import { archiveFeedPath, type FeedFormat, feedPath, pagePath } from '../../core/document-paths.ts';
import { type SiteSettings, siteLink } from '../../core/feed-group.ts';
import type { FeedDocument } from './feed-document.ts';

/** The absolute URLs a feed document links to, in one format (RFC 5005 §4, WebSub §4). */
export type FeedLinks = {
  /** This document (`rel="self"`). */
  self: string;
  /** The feed's HTML page (`rel="alternate"`). */
  page: string;
  /** Archive pages only: the subscription document of the same format (`rel="current"`). */
  current: string | undefined;
  /** The next older archive page (`rel="prev-archive"`), when there is one. */
  prevArchive: string | undefined;
  /** Archive page k: page k+1 (`rel="next-archive"`), which exists or will once sealed. */
  nextArchive: string | undefined;
  /** Subscription documents only: the WebSub hub (`rel="hub"`); archives are no topics. */
  hub: string | undefined;
  /** Subscription documents that hold every item: `fh:complete` (RFC 5005 §2). */
  complete: boolean;
  /** Archive pages: `fh:archive` (RFC 5005 §4). */
  archive: boolean;
};

/**
 * Archive page k links `next-archive` to page k+1 (RFC 5005 §4), fixed when k is sealed:
 * pages are numbered from the oldest and hold exactly N items, so k+1 is the page that
 * follows k for ever, known before it exists. The newest page's link answers 404 until
 * k+1 is sealed (a reader walking forward then goes to `current`); adding the link only
 * once k+1 exists would change page k's bytes, which §4.1 asks never to happen. It also
 * gives page 1, which has no `prev-archive`, a link the W3C Feed Validator accepts
 * (`ArchiveIncomplete`). docs/decisions.md, "Archives every client can walk".
 */
export function feedLinks(doc: FeedDocument, format: FeedFormat, site: SiteSettings): FeedLinks {
  const { scope, paging } = doc;
  const page = siteLink(site, pagePath(scope));
  if (paging.kind === 'subscription') {
    return {
      self: siteLink(site, feedPath(scope, format)),
      page,
      current: undefined,
      prevArchive:
        paging.archivePages > 0
          ? siteLink(site, archiveFeedPath(scope, paging.archivePages, format))
          : undefined,
      nextArchive: undefined,
      hub: site.hubUrl,
      complete: paging.complete,
      archive: false,
    };
  }
  return {
    self: siteLink(site, archiveFeedPath(scope, paging.page, format)),
    page,
    current: siteLink(site, feedPath(scope, format)),
    prevArchive:
      paging.page > 1 ? siteLink(site, archiveFeedPath(scope, paging.page - 1, format)) : undefined,
    nextArchive: siteLink(site, archiveFeedPath(scope, paging.page + 1, format)),
    hub: undefined,
    complete: false,
    archive: true,
  };
}
