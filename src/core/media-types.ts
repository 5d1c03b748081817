/** Media types of the documents we serve (DESIGN.md), all UTF-8 but the icons. */
export const MEDIA_TYPES = {
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
  jsonFeed: 'application/feed+json; charset=utf-8',
  opml: 'text/x-opml; charset=utf-8',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  /** ActivityPub §3.2: actors, outboxes and activities. */
  activity: 'application/activity+json; charset=utf-8',
  png: 'image/png',
  /** The ICO type browsers and IANA's registry (image/vnd.microsoft.icon) both accept. */
  ico: 'image/x-icon',
} as const;

/**
 * The short code a manifest stores for each kind of document (a manifest names tens of
 * thousands of documents, so it spells the media type in a few bytes).
 */
export const DOCUMENT_TYPES = {
  rss: MEDIA_TYPES.rss,
  atom: MEDIA_TYPES.atom,
  feed: MEDIA_TYPES.jsonFeed,
  opml: MEDIA_TYPES.opml,
  json: MEDIA_TYPES.json,
  html: MEDIA_TYPES.html,
  css: MEDIA_TYPES.css,
  svg: MEDIA_TYPES.svg,
  activity: MEDIA_TYPES.activity,
  png: MEDIA_TYPES.png,
  ico: MEDIA_TYPES.ico,
} as const;
export type DocumentType = keyof typeof DOCUMENT_TYPES;
export const DOCUMENT_TYPE_CODES = Object.keys(DOCUMENT_TYPES) as [DocumentType, ...DocumentType[]];

/** The type code of a media type we serve; throws for any other (a build bug). */
export function documentTypeOf(mediaType: string): DocumentType {
  for (const code of DOCUMENT_TYPE_CODES) if (DOCUMENT_TYPES[code] === mediaType) return code;
  throw new Error(`internal: ${mediaType} is not a type edgefeed serves`);
}
