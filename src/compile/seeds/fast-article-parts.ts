import {
  type Image,
  imageDimension,
  MAX_BLOCK_CHARS,
  MAX_NAME_CHARS,
  MAX_TITLE_CHARS,
  type Related,
} from '../../core/article-schema.ts';
import { parseWebUrl } from '../../core/parse-web-url.ts';

/**
 * The field readers behind `fastArticle`, each the plain-code twin of one part of
 * ArticleSchema. A reader returns UNSURE wherever zod would report an issue, and wherever
 * it is not sure what zod would do: the whole article then goes to zod.
 */
export const UNSURE: unique symbol = Symbol('unsure');
export type Unsure = typeof UNSURE;
export type Fields = Record<string, unknown>;

/**
 * What z.object makes of a value: 'none' when it refuses it (not an object, or an array);
 * 'other' for objects YAML never makes (a Date, a class instance), whose inherited
 * properties zod would read: those are left to zod.
 */
export function objectKind(v: unknown): 'plain' | 'none' | 'other' {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'none';
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null ? 'plain' : 'other';
}

/** `boundedText(max)`: text or a finite number (z.number refuses NaN and ±Infinity), null as none. */
export function readText(v: unknown, max: number): string | undefined | Unsure {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' && Number.isFinite(v)) s = String(v);
  else return v === undefined || v === null ? undefined : UNSURE;
  return s.length > max ? UNSURE : s;
}

/** `webUrl.optional()`: absent is fine, anything else must be a good URL. */
export function readWebUrl(v: unknown): string | undefined | Unsure {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') return UNSURE;
  const parsed = parseWebUrl(v);
  return parsed.ok ? parsed.url : UNSURE;
}

/** `optionalWebUrl`: a bad URL is dropped, never an issue. */
export function readOptionalUrl(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const parsed = parseWebUrl(v);
  return parsed.ok ? parsed.url : undefined;
}

/**
 * `imageList`: absent stays absent (`.optional()` does not run the transform on undefined),
 * anything but a list is no images, and an entry ImageSchema refuses is skipped, as is one
 * without a usable URL. Keys are set in the schema's order, and only when the entry has them.
 */
export function readImages(v: unknown): Image[] | undefined | Unsure {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return [];
  const images: Image[] = [];
  for (const entry of v) {
    const kind = objectKind(entry);
    if (kind === 'other') return UNSURE;
    if (kind === 'none') continue;
    const e = entry as Fields;
    const title = readText(e.title, MAX_NAME_CHARS);
    if (title === UNSURE) continue;
    const url = readOptionalUrl(e.url);
    if (!url) continue;
    const image: Image = { url };
    if ('width' in e) image.width = imageDimension(e.width);
    if ('height' in e) image.height = imageDimension(e.height);
    if ('title' in e) image.title = title;
    images.push(image);
  }
  return images;
}

/** The `related` transform: absent stays absent, anything but a list is none. */
export function readRelatedList(v: unknown): Related[] | undefined | Unsure {
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) return [];
  const list: Related[] = [];
  for (const entry of v) {
    const kind = objectKind(entry);
    if (kind === 'other') return UNSURE;
    if (kind === 'none') continue;
    const related = readRelated(entry as Fields);
    if (related === UNSURE) return UNSURE;
    if (related) list.push(related);
  }
  return list;
}

/** One RelatedSchema entry; undefined when zod would refuse it (and the list skip it). */
function readRelated(e: Fields): Related | undefined | Unsure {
  const title = readText(e.title, MAX_TITLE_CHARS);
  const excerpt = readText(e.excerpt, MAX_BLOCK_CHARS);
  if (title === UNSURE || excerpt === UNSURE) return undefined;
  const related: Related = {};
  if ('title' in e) related.title = title;
  if ('excerpt' in e) related.excerpt = excerpt;
  // z.unknown(): whatever is there, the very same value.
  if ('publishedDateTime' in e) related.publishedDateTime = e.publishedDateTime;
  if ('webUrl' in e) related.webUrl = readOptionalUrl(e.webUrl);
  if ('originalUrl' in e) related.originalUrl = readOptionalUrl(e.originalUrl);
  if ('provider' in e) {
    const p = e.provider;
    const kind = objectKind(p);
    if (kind === 'other') return UNSURE;
    // `.catch(undefined)`: a provider zod refuses becomes undefined, the key stays.
    related.provider = kind === 'plain' ? readRelatedProvider(p as Fields) : undefined;
  }
  return related;
}

function readRelatedProvider(p: Fields): Related['provider'] {
  const name = readText(p.name, MAX_NAME_CHARS);
  const domain = readText(p.domain, MAX_NAME_CHARS);
  if (name === UNSURE || domain === UNSURE) return undefined;
  const provider: NonNullable<Related['provider']> = {};
  if ('name' in p) provider.name = name;
  if ('domain' in p) provider.domain = domain;
  return provider;
}
