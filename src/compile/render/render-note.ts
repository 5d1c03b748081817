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
import type { ArticleCore, PublishedArticle } from '../../core/published-article.ts';
import { escapeXml as escapeHtml } from '../../core/xml-escape.ts';
import { imageMediaType } from './image-media-type.ts';

/**
 * An article as an ActivityPub `Create` of a `Note` (ActivityStreams 2.0 vocabulary §3.3),
 * in the outbox of one feed's actor: what Mastodon shows in full, since it renders a Note's
 * `content` and ignores an Article's body. The content is the title as a link, the excerpt,
 * and the topics as hashtags; the image is an attachment. Ids are stable (a digest of the
 * article's URL under the feed), so a repeated delivery is the same activity to a receiver.
 *
 * One JSON object in two parts: `renderNoteHead` (ids and addressing, which depend on the
 * feed; cheap, from the article's core) and `renderNoteBody` (url, content, attachment,
 * tags: the same in every feed, rendered once per article by ItemMarkup), so an article in
 * four feeds is not loaded and rendered four times.
 */
export function renderNoteHead(core: ArticleCore, scope: FeedScope, site: SiteSettings): string {
  const actor = siteLink(site, actorPath(scope));
  const id = noteId(core.url, scope, site);
  const published = new Date(core.date).toISOString();
  const audience = { to: [PUBLIC_AUDIENCE], cc: [siteLink(site, followersPath(scope))] };
  const create = { id: `${id}/create`, type: 'Create', actor, published, ...audience };
  const note = { id, type: 'Note', attributedTo: actor, ...audience, published };
  return `${JSON.stringify(create).slice(0, -1)},"object":${JSON.stringify(note).slice(0, -1)},`;
}

/** The feed-independent rest of the Note, closing it (the Create is closed by its page). */
export function renderNoteBody(a: PublishedArticle, site: SiteSettings): string {
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
  const body: Record<string, unknown> = { url: a.url, content: paragraphs.join('') };
  if (a.image) {
    body.attachment = [
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
  if (tagObjects.length > 0) body.tag = tagObjects;
  return JSON.stringify(body).slice(1);
}

/** `{feed}/notes/{digest}`: one Note per article and feed, stable across builds. */
export function noteId(url: string, scope: FeedScope, site: SiteSettings): string {
  let digest = digests.get(url);
  if (digest === undefined) {
    digest = createHash('sha256').update(url).digest('base64url').slice(0, 22);
    digests.set(url, digest);
    if (digests.size > 200_000) digests.clear();
  }
  return siteLink(site, notePath(scope, digest));
}

/** Each article's digest, made once however many feeds list it. */
const digests = new Map<string, string>();

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
