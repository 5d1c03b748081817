import {
  type Article,
  DOMAIN_NAME,
  MAX_BLOCK_CHARS,
  MAX_NAME_CHARS,
  MAX_TITLE_CHARS,
  MAX_TOPIC_NAME_CHARS,
  MAX_TOPICS,
  type Provider,
} from '../../core/article-schema.ts';
import { parseSeedDate } from '../../core/parse-seed-date.ts';
import {
  type Fields,
  objectKind,
  readImages,
  readRelatedList,
  readText,
  readWebUrl,
  UNSURE,
  type Unsure,
} from './fast-article-parts.ts';

/**
 * ArticleSchema for the seeds nearly every build reads: plain code, with none of zod's
 * per-layer allocations. It returns exactly what `ArticleSchema.safeParse(data).data`
 * returns — the same keys, an optional one set (maybe to undefined) only when `data` has
 * it, in the schema's order — or undefined whenever zod would report an issue or it is not
 * sure what zod would do; the caller then asks zod, so every message still comes from zod.
 * tests/compile/fast-article.test.ts proves the two equal on real, generated and random data.
 */
export function fastArticle(data: Fields): Article | undefined {
  if (objectKind(data) !== 'plain') return undefined;
  const title = readTitle(data.title);
  const excerpt = readText(data.excerpt, MAX_BLOCK_CHARS);
  const category = readText(data.category, MAX_NAME_CHARS);
  const type = readText(data.type, MAX_NAME_CHARS);
  const date = data.publishedDateTime;
  const publishedDateTime =
    typeof date === 'string' || date instanceof Date ? parseSeedDate(date) : UNSURE;
  const webUrl = readWebUrl(data.webUrl);
  // Most seeds give the same link twice: parse it once.
  const originalUrl = data.originalUrl === data.webUrl ? webUrl : readWebUrl(data.originalUrl);
  const published = data.published;
  const featuredContent = readText(data.featuredContent, MAX_BLOCK_CHARS);
  const provider = readProvider(data.provider);
  const topics = readTopics(data.topics);
  const images = readImages(data.images);
  const related = readRelatedList(data.related);
  if (
    title === UNSURE ||
    excerpt === UNSURE ||
    category === UNSURE ||
    type === UNSURE ||
    !(publishedDateTime instanceof Date) ||
    webUrl === UNSURE ||
    originalUrl === UNSURE ||
    !(published === undefined || typeof published === 'boolean') ||
    featuredContent === UNSURE ||
    provider === UNSURE ||
    topics === UNSURE ||
    images === UNSURE ||
    related === UNSURE ||
    // The schema's superRefine.
    (!webUrl && !originalUrl)
  ) {
    return undefined;
  }
  // An optional key is set when `data` has it, as zod sets it: a value read from it
  // proves it is there, so `in` is asked only of keys that read as undefined.
  const article: Partial<Article> = { title };
  if (excerpt !== undefined || 'excerpt' in data) article.excerpt = excerpt;
  if (category !== undefined || 'category' in data) article.category = category;
  if (type !== undefined || 'type' in data) article.type = type;
  article.publishedDateTime = publishedDateTime;
  if (webUrl !== undefined || 'webUrl' in data) article.webUrl = webUrl;
  if (originalUrl !== undefined || 'originalUrl' in data) article.originalUrl = originalUrl;
  if (published !== undefined || 'published' in data) article.published = published;
  if (featuredContent !== undefined || 'featuredContent' in data)
    article.featuredContent = featuredContent;
  article.provider = provider;
  if (topics !== undefined || 'topics' in data) article.topics = topics;
  if (images !== undefined || 'images' in data) article.images = images;
  if (related !== undefined || 'related' in data) article.related = related;
  // Every required key is set above; a typed literal could not leave optional keys out
  // the way zod does, nor keep the schema's key order.
  return article as Article;
}

/** A string or finite number, as text, trimmed, 1 to MAX_TITLE_CHARS long. */
function readTitle(v: unknown): string | Unsure {
  let s: string;
  if (typeof v === 'string') s = v.trim();
  else if (typeof v === 'number' && Number.isFinite(v)) s = String(v).trim();
  else return UNSURE;
  return s.length === 0 || s.length > MAX_TITLE_CHARS ? UNSURE : s;
}

function readProvider(v: unknown): Provider | Unsure {
  if (objectKind(v) !== 'plain') return UNSURE;
  const p = v as Fields;
  const name = readText(p.name, MAX_NAME_CHARS);
  if (name === UNSURE || typeof p.domain !== 'string') return UNSURE;
  const domain = p.domain.trim().toLowerCase();
  if (domain.length > 253 || !DOMAIN_NAME.test(domain)) return UNSURE;
  const images = readImages(p.images);
  if (images === UNSURE) return UNSURE;
  const provider: Provider = 'name' in p ? { name, domain } : { domain };
  if (images !== undefined || 'images' in p) provider.images = images;
  return provider;
}

/** A list of at most MAX_TOPICS names (text or finite numbers); null is no topics. */
function readTopics(v: unknown): string[] | undefined | Unsure {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.length > MAX_TOPICS) return UNSURE;
  const topics: string[] = [];
  for (let i = 0; i < v.length; i++) {
    const t: unknown = v[i];
    const name =
      typeof t === 'string' ? t : typeof t === 'number' && Number.isFinite(t) ? String(t) : UNSURE;
    if (name === UNSURE || name.length > MAX_TOPIC_NAME_CHARS) return UNSURE;
    topics.push(name);
  }
  return topics;
}
