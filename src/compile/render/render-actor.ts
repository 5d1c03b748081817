import {
  actorPath,
  followersPath,
  handleOf,
  inboxPath,
  outboxPath,
  PUBLIC_KEY_PLACEHOLDER,
  SHARED_INBOX_PATH,
} from '../../core/actor-paths.ts';
import { pagePath } from '../../core/document-paths.ts';
import { type FeedSummary, type SiteSettings, siteLink } from '../../core/feed-group.ts';
import { escapeXml } from '../../core/xml-escape.ts';
import { imageMediaType } from './image-media-type.ts';

/** The JSON-LD contexts of an actor: ActivityStreams, and the security vocabulary's publicKey. */
export const ACTOR_CONTEXT = [
  'https://www.w3.org/ns/activitystreams',
  'https://w3id.org/security/v1',
] as const;

/**
 * A feed's actor (ActivityPub §4.1), a `Service`: it posts by itself and is followed, never
 * addressed (docs/activitypub.md). Rendered at build time like every document; the public
 * key is the worker's (its secret), which it puts in place of PUBLIC_KEY_PLACEHOLDER when it
 * serves the document. The keyId is per actor (`{actor}#main-key`), the key one for all.
 */
export function renderActor(site: SiteSettings, group: FeedSummary): string {
  const handle = handleOf(group.scope);
  if (handle === undefined) throw new Error(`internal: ${group.title} has no actor`);
  const id = siteLink(site, actorPath(group.scope));
  const icon = group.logo ?? siteLink(site, '/icon.svg');
  const actor = {
    '@context': ACTOR_CONTEXT,
    id,
    type: 'Service',
    preferredUsername: handle,
    name: group.title,
    summary: `<p>${escapeXml(group.description)}</p>`,
    url: siteLink(site, pagePath(group.scope)),
    icon: { type: 'Image', mediaType: imageMediaType(icon), url: icon },
    inbox: siteLink(site, inboxPath(group.scope)),
    outbox: siteLink(site, outboxPath(group.scope)),
    followers: siteLink(site, followersPath(group.scope)),
    endpoints: { sharedInbox: siteLink(site, SHARED_INBOX_PATH) },
    manuallyApprovesFollowers: false,
    discoverable: true,
    publicKey: { id: `${id}#main-key`, owner: id, publicKeyPem: 'PLACEHOLDER' },
  };
  return `${JSON.stringify(actor, null, 2).replace('"PLACEHOLDER"', PUBLIC_KEY_PLACEHOLDER)}\n`;
}
