import { createHash } from 'node:crypto';
import {
  actorPath,
  followersPath,
  handleOf,
  notePath,
  PUBLIC_AUDIENCE,
} from '../../core/actor-paths.ts';
import { type FeedScope, pagePath } from '../../core/document-paths.ts';
import { type SiteSettings, siteLink } from '../../core/feed-group.ts';
import type { PublishedArticle } from '../../core/published-article.ts';
import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';
import { imageMediaType } from './image-media-type.ts';

/**
 * An article as an ActivityPub `Create` of a `Note` (ActivityStreams 2.0 vocabulary §3.3),
 * in the outbox of one feed's actor: what Mastodon shows in full, since it renders a Note's
 * `content` and ignores an Article's body. The content is the title as a link, the excerpt,
 * and the topics as hashtags; the image is an attachment. Ids are stable (a digest of the
 * article's URL under the feed), so a repeated delivery is the same activity to a receiver.
 */
export function renderCreateNote(
  a: PublishedArticle,
  scope: FeedScope,
  site: SiteSettings,
): Record<string, unknown> {
  const actor = siteLink(site, actorPath(scope));
  const id = noteId(a.url, scope, site);
  const published = new Date(a.date).toISOString();
  const audience = { to: [PUBLIC_AUDIENCE], cc: [siteLink(site, followersPath(scope))] };
  const tags = a.topics.map((t) => ({ ...t, tag: hashtagOf(t.name) }));
  const paragraphs = [`<p><a href="${escapeHtml(a.url)}">${escapeHtml(a.title)}</a></p>`];
  if (a.summaryText) paragraphs.push(`<p>${escapeHtml(a.summaryText)}</p>`);
  const links = tags
    .filter((t) => t.tag !== '')
    .map(
      (t) =>
        `<a href="${escapeHtml(siteLink(site, pagePath({ kind: 'topic', key: t.slug })))}" class="mention hashtag" rel="tag">#<span>${escapeHtml(t.tag)}</span></a>`,
    );
  if (links.length > 0) paragraphs.push(`<p>${links.join(' ')}</p>`);
  const note: Record<string, unknown> = {
    id,
    type: 'Note',
    attributedTo: actor,
    ...audience,
    published,
    url: a.url,
    content: paragraphs.join(''),
  };
  if (a.image) {
    note.attachment = [
      {
        type: 'Image',
        mediaType: imageMediaType(a.image.url),
        url: a.image.url,
        name: a.title,
        ...(a.image.width ? { width: a.image.width } : {}),
        ...(a.image.height ? { height: a.image.height } : {}),
      },
    ];
  }
  const tagObjects = tags
    .filter((t) => t.tag !== '' && handleOf({ kind: 'topic', key: t.slug }) !== undefined)
    .map((t) => ({
      type: 'Hashtag',
      href: siteLink(site, actorPath({ kind: 'topic', key: t.slug })),
      name: `#${t.tag}`,
    }));
  if (tagObjects.length > 0) note.tag = tagObjects;
  return { id: `${id}/create`, type: 'Create', actor, published, ...audience, object: note };
}

/** `{feed}/notes/{digest}`: one Note per article and feed, stable across builds. */
export function noteId(url: string, scope: FeedScope, site: SiteSettings): string {
  const digest = createHash('sha256').update(url).digest('base64url').slice(0, 22);
  return siteLink(site, notePath(scope, digest));
}

/**
 * A topic name as a Mastodon hashtag: its words, letters and digits only, each capitalised
 * ("Canvas apps" → "CanvasApps"), as Mastodon's tag syntax allows no spaces or hyphens.
 */
export function hashtagOf(name: string): string {
  return name
    .normalize('NFKC')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
}
