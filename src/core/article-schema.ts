import { z } from 'zod';
import { parseSeedDate } from './parse-seed-date.ts';
import { parseWebUrl } from './parse-web-url.ts';

/**
 * The seed front matter, as found in real data (../shared/corpus): most fields are
 * optional; an item cannot do without a title, a date, a URL and its provider's domain.
 * Unknown fields are dropped by parsing, which is also what keeps private fields such as
 * `secured` out of every output: nothing reads a field this schema does not name.
 */

/**
 * Bounds on one article's text (docs/hostile-input.md). Real seeds stay far below them
 * (longest title 188, excerpt 477, featuredContent 232 characters); with them, 50 items
 * escaped for XML stay well under KV's 25 MiB per document.
 */
export const MAX_TITLE_CHARS = 1_000;
export const MAX_NAME_CHARS = 200;
export const MAX_BLOCK_CHARS = 10_000;
export const MAX_TOPICS = 100;
export const MAX_TOPIC_NAME_CHARS = 100;

const text = z.string({ error: 'expected text' });

const tooLong = (max: number) => (v: string) =>
  v.length > max ? `longer than ${max} characters (${v.length})` : undefined;

function boundedText(max: number) {
  return z
    .union([z.string(), z.number(), z.null()], { error: 'expected text' })
    .transform((v, ctx) => {
      if (v === null) return undefined;
      const value = String(v);
      const problem = tooLong(max)(value);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
      return value;
    })
    .optional();
}

const optionalText = boundedText(MAX_NAME_CHARS);

const seedDate = z
  .union([z.string(), z.date()], { error: 'expected a date' })
  .transform((v, ctx) => {
    const parsed = parseSeedDate(v);
    if (typeof parsed === 'string') {
      ctx.addIssue({ code: 'custom', message: parsed });
      return z.NEVER;
    }
    return parsed;
  });

const webUrl = z.string({ error: 'expected a URL' }).transform((v, ctx) => {
  const parsed = parseWebUrl(v);
  if (parsed.ok) return parsed.url;
  ctx.addIssue({ code: 'custom', message: parsed.problem });
  return z.NEVER;
});

/** A URL that is nice to have: a bad one is dropped rather than failing the article. */
const optionalWebUrl = z
  .unknown()
  .transform((v) => {
    if (typeof v !== 'string') return undefined;
    const parsed = parseWebUrl(v);
    return parsed.ok ? parsed.url : undefined;
  })
  .optional();

/** An image's width or height: a positive whole number of pixels, else none. */
export function imageDimension(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 && v < 100_000 ? v : undefined;
}

const dimension = z.unknown().transform(imageDimension).optional();

/** A provider's domain, lower case: labels of letters, digits and hyphens. */
export const DOMAIN_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}\.)*[a-z0-9-]{1,63}$/;

export const ImageSchema = z.object({
  url: optionalWebUrl,
  width: dimension,
  height: dimension,
  title: optionalText,
});
export type Image = z.infer<typeof ImageSchema>;

/** A list where a bad entry is skipped, not fatal: images are decoration. */
const imageList = z
  .unknown()
  .transform((v) => {
    if (!Array.isArray(v)) return [];
    const images: Image[] = [];
    for (const entry of v) {
      const parsed = ImageSchema.safeParse(entry);
      if (parsed.success && parsed.data.url) images.push(parsed.data);
    }
    return images;
  })
  .optional();

export const ProviderSchema = z.object(
  {
    name: boundedText(MAX_NAME_CHARS),
    domain: z
      .string({ error: 'expected a domain name' })
      .transform((v) => v.trim().toLowerCase())
      .refine((v) => DOMAIN_NAME.test(v) && v.length <= 253, {
        message: 'not a domain name',
      }),
    images: imageList,
  },
  { error: 'expected a provider with name and domain' },
);
export type Provider = z.infer<typeof ProviderSchema>;

export const RelatedSchema = z.object({
  title: boundedText(MAX_TITLE_CHARS),
  excerpt: boundedText(MAX_BLOCK_CHARS),
  publishedDateTime: z.unknown().optional(),
  webUrl: optionalWebUrl,
  originalUrl: optionalWebUrl,
  provider: z.object({ name: optionalText, domain: optionalText }).optional().catch(undefined),
});
export type Related = z.infer<typeof RelatedSchema>;

export const ArticleSchema = z
  .object({
    title: z
      .union([z.string(), z.number()], { error: 'expected text' })
      .transform((v) => String(v))
      .pipe(
        text
          .trim()
          .min(1, { error: 'is empty' })
          .max(MAX_TITLE_CHARS, { error: (i) => tooLong(MAX_TITLE_CHARS)(String(i.input)) }),
      ),
    excerpt: boundedText(MAX_BLOCK_CHARS),
    category: optionalText,
    type: optionalText,
    publishedDateTime: seedDate,
    webUrl: webUrl.optional(),
    originalUrl: webUrl.optional(),
    published: z.boolean({ error: 'expected true or false' }).optional(),
    featuredContent: boundedText(MAX_BLOCK_CHARS),
    provider: ProviderSchema,
    topics: z
      .array(
        z
          .union([z.string(), z.number()], { error: 'expected a topic name' })
          .transform(String)
          .refine((v) => v.length <= MAX_TOPIC_NAME_CHARS, {
            error: (i) => tooLong(MAX_TOPIC_NAME_CHARS)(String(i.input)),
          }),
        { error: 'expected a list of topic names' },
      )
      .max(MAX_TOPICS, {
        error: (i) => `more than ${MAX_TOPICS} topics (${(i.input as unknown[]).length})`,
      })
      // `topics:` with nothing under it is YAML null: an article with no topics.
      .nullish()
      .transform((v) => v ?? undefined),
    images: imageList,
    related: z
      .unknown()
      .transform((v) => {
        if (!Array.isArray(v)) return [];
        return v.flatMap((entry) => {
          const parsed = RelatedSchema.safeParse(entry);
          return parsed.success ? [parsed.data] : [];
        });
      })
      .optional(),
  })
  .superRefine((article, ctx) => {
    if (!article.webUrl && !article.originalUrl) {
      ctx.addIssue({
        code: 'custom',
        path: ['webUrl'],
        message: 'missing: an article needs webUrl or originalUrl',
      });
    }
  });

export type Article = z.infer<typeof ArticleSchema>;
