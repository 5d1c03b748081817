import { archiveDirectory, type FeedScope, scopeDirectory } from './document-paths.ts';

/**
 * ActivityPub: every feed is an actor (docs/activitypub.md). Its documents live under the
 * feed's folder: `{feed}/actor`, `{feed}/outbox`, `{feed}/outbox/latest` (the newest page),
 * `{feed}/outbox/{k}` (sealed page k, the RFC 5005 archive page k's items),
 * `{feed}/followers`, `{feed}/inbox`; `/inbox` is the shared inbox. `{feed}` is '' for the
 * site, `/topics/{slug}` or `/providers/{domain}`.
 */

/** The site actor's handle: the underscore makes it no topic slug and no domain. */
export const SITE_HANDLE = 'all_articles';

/** The shared inbox (ActivityPub §7.1.3), one for every actor. */
export const SHARED_INBOX_PATH = '/inbox';

export function actorPath(scope: FeedScope): string {
  return `${scopeDirectory(scope)}/actor`;
}

/** Whether `path` is a feed's actor document: `/actor`, `/topics/{slug}/actor`, `/providers/{domain}/actor`. */
export function isActorPath(path: string): boolean {
  return /^(\/(topics|providers)\/[^/]+)?\/actor$/.test(path);
}

export function outboxPath(scope: FeedScope): string {
  return `${scopeDirectory(scope)}/outbox`;
}

/** `latest` (the items after the last sealed page) or sealed page k. */
export function outboxPagePath(scope: FeedScope, page: number | 'latest'): string {
  if (page === 'latest') return `${outboxPath(scope)}-latest`;
  return `${archiveDirectory(scope, page)}/outbox`;
}

export function followersPath(scope: FeedScope): string {
  return `${scopeDirectory(scope)}/followers`;
}

export function inboxPath(scope: FeedScope): string {
  return `${scopeDirectory(scope)}/inbox`;
}

/**
 * The handle's user part (`{handle}@{host}`), or undefined for a feed that has no actor.
 * Collisions are impossible by construction: provider handles are domains and contain a
 * dot; topic handles are slugs with neither a dot nor an underscore (the slug rule never
 * makes either; a taxonomy `_id` that has one gets no actor); the site's has an underscore
 * and no dot.
 */
export function handleOf(scope: FeedScope): string | undefined {
  if (scope.kind === 'site') return SITE_HANDLE;
  if (scope.kind === 'provider') return scope.key.includes('.') ? scope.key : undefined;
  return /[._]/.test(scope.key) ? undefined : scope.key;
}

/**
 * A Note's id path: `{feed}/notes/{digest}`, the digest being the first 22 characters of
 * the base64url SHA-256 of the article's canonical URL (the build and the worker each
 * compute it, so a Delete names the Note the build's Create did).
 */
export function notePath(scope: FeedScope, digest: string): string {
  return `${scopeDirectory(scope)}/notes/${digest}`;
}

/** The feed a handle names (the inverse of handleOf), whether or not the build has it. */
export function scopeOfHandle(handle: string): FeedScope | undefined {
  if (handle === SITE_HANDLE) return { kind: 'site' };
  if (handle === '' || handle.includes('/')) return undefined;
  if (handle.includes('.')) return { kind: 'provider', key: handle };
  if (handle.includes('_')) return undefined;
  return { kind: 'topic', key: handle };
}

/**
 * The feed whose actor document or collection a path names, and which: `actor`,
 * `followers`, `inbox` (undefined for any other path).
 */
export function actorEndpointOf(
  path: string,
): { scope: FeedScope; endpoint: 'actor' | 'followers' | 'inbox' } | undefined {
  const match = /^(?:\/(topics|providers)\/([^/]+))?\/(actor|followers|inbox)$/.exec(path);
  if (match === null) return undefined;
  const [, folder, encoded, endpoint] = match;
  let key: string;
  try {
    key = decodeURIComponent(encoded ?? '');
  } catch {
    return undefined;
  }
  const scope: FeedScope =
    folder === undefined
      ? { kind: 'site' }
      : { kind: folder === 'topics' ? 'topic' : 'provider', key };
  return { scope, endpoint: endpoint as 'actor' | 'followers' | 'inbox' };
}

const SEALED_OUTBOX_PAGE = /\/archive\/[1-9][0-9]{0,8}\/outbox$/;

/** Whether a path is a sealed outbox page: like an RFC 5005 archive page, it never changes. */
export function isSealedOutboxPage(path: string): boolean {
  return SEALED_OUTBOX_PAGE.test(path);
}

/** Where the worker puts the public key into an actor document it serves. */
export const PUBLIC_KEY_PLACEHOLDER = '"EDGEFEED_PUBLIC_KEY_PEM"';

/** ActivityStreams 2.0 §5.6: the special collection addressing everyone. */
export const PUBLIC_AUDIENCE = 'https://www.w3.org/ns/activitystreams#Public';
