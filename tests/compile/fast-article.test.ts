// fastArticle returns exactly what ArticleSchema does, or leaves the article to zod.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSeedText } from '../../src/compile/seeds/decode-seed-text.ts';
import { fastArticle } from '../../src/compile/seeds/fast-article.ts';
import { parsePlainFrontMatter } from '../../src/compile/seeds/parse-plain-front-matter.ts';
import {
  ArticleSchema,
  MAX_BLOCK_CHARS,
  MAX_NAME_CHARS,
  MAX_TITLE_CHARS,
  MAX_TOPIC_NAME_CHARS,
  MAX_TOPICS,
} from '../../src/core/article-schema.ts';
import {
  generateSeeds,
  haveShared,
  realCorpusSeeds,
  repositorySeeds,
  SHARED,
  seedFiles,
} from '../support/seed-corpora.ts';

const RUNS = 3000;

/** Every key of every object in `v`, in order: zod sets keys in the schema's order. */
function keyOrder(v: unknown, at = ''): string[] {
  if (typeof v !== 'object' || v === null || v instanceof Date) return [];
  return Object.entries(v).flatMap(([k, x]) => [`${at}.${k}`, ...keyOrder(x, `${at}.${k}`)]);
}

/**
 * The property every test here rests on: undefined, or exactly zod's success data. Says
 * whether zod refused the article, or accepted it and fastArticle read it or declined it.
 */
function expectSameAsZod(data: Record<string, unknown>): 'invalid' | 'fast' | 'declined' {
  const fast = fastArticle(data);
  const zod = ArticleSchema.safeParse(data);
  if (!zod.success) {
    expect(fast, zod.error.message).toBeUndefined();
    return 'invalid';
  }
  if (fast === undefined) return 'declined';
  // isDeepStrictEqual first, as it is fast; toStrictEqual then says what differs.
  if (!isDeepStrictEqual(fast, zod.data)) expect(fast).toStrictEqual(zod.data);
  expect(keyOrder(fast)).toEqual(keyOrder(zod.data));
  return 'fast';
}

/** Checks every published seed of `files`; returns the share of zod-valid ones read fast. */
function acceptanceOf(files: string[]): number {
  let valid = 0;
  let fast = 0;
  for (const file of files) {
    const decoded = decodeSeedText(readFileSync(file));
    if (!decoded.ok) continue;
    const plain = parsePlainFrontMatter(decoded.text);
    if (!plain || plain.data.published === false) continue;
    const reading = expectSameAsZod(plain.data);
    if (reading !== 'invalid') valid++;
    if (reading === 'fast') fast++;
  }
  expect(valid).toBeGreaterThan(0);
  return fast / valid;
}

if (!haveShared) console.log(`skipping the corpus and generated seeds: ${SHARED} is not here`);

describe('fastArticle on real and generated seeds', () => {
  it('reads every valid seed of the repository as zod does', () => {
    expect(acceptanceOf(repositorySeeds())).toBe(1);
  });

  it.skipIf(!haveShared)('reads the real corpora as zod does, 99% of them itself', () => {
    const files = realCorpusSeeds();
    expect(files.length).toBeGreaterThan(200);
    expect(acceptanceOf(files)).toBeGreaterThanOrEqual(0.99);
  });

  let generated = '';
  beforeAll(() => {
    if (haveShared) generated = generateSeeds(2000, 1);
  });
  afterAll(() => {
    if (generated) rmSync(join(generated, '..'), { recursive: true, force: true });
  });
  it.skipIf(!haveShared)('reads 2,000 generated seeds as zod does, 99% of them itself', () => {
    const files = seedFiles(generated);
    expect(files).toHaveLength(2000);
    expect(acceptanceOf(files)).toBeGreaterThanOrEqual(0.99);
  });
});

/** A domain name of `length` characters, in labels of 50. */
const longDomain = (length: number) =>
  `${'x'.repeat(50)}.`.repeat(Math.floor(length / 51)) + 'y'.repeat(length % 51);

const base = () => ({
  title: 'A title',
  publishedDateTime: '2021-10-26T10:29:00Z',
  webUrl: 'https://example.com/a',
  provider: { name: 'Example', domain: 'example.com' },
});

describe('fastArticle on what it reads', () => {
  it('reads a full seed: trims, lower-cases, drops unknown keys and bad images', () => {
    const date = { when: 'then' };
    const data = {
      secured: 'TOP-SECRET',
      related: [{ title: 5, publishedDateTime: date, provider: 'x' }, 'x', { title: true }],
      images: [{ url: 'https://x.com/i.jpg', width: 1.5, isCached: true }, { url: '/i.jpg' }],
      topics: ['AI', 2023],
      provider: { domain: ' Example.COM ', images: null, quality: 1 },
      excerpt: null,
      title: ' 42 ',
      publishedDateTime: '2021-06-02T09:12:27-07:00',
      originalUrl: 'HTTPS://Example.com/a b',
    };
    const got = fastArticle(data);
    expect(got).toStrictEqual({
      title: '42',
      excerpt: undefined,
      publishedDateTime: new Date('2021-06-02T16:12:27Z'),
      originalUrl: 'https://example.com/a%20b',
      provider: { domain: 'example.com', images: [] },
      topics: ['AI', '2023'],
      images: [{ url: 'https://x.com/i.jpg', width: undefined }],
      related: [{ title: '5', publishedDateTime: date, provider: undefined }],
    });
    expect(got?.related?.[0]?.publishedDateTime).toBe(date);
    expectSameAsZod(data);
  });

  it('takes `topics:` with nothing under it as no topics', () => {
    expect(fastArticle({ ...base(), topics: null })).toHaveProperty('topics', undefined);
  });
});

describe('fastArticle on what it must leave to zod', () => {
  it.each([
    ['a missing title', { title: undefined }],
    ['a blank title', { title: '   ' }],
    ['a title too long', { title: 'x'.repeat(MAX_TITLE_CHARS + 1) }],
    ['an infinite title', { title: Number.POSITIVE_INFINITY }],
    ['a NaN excerpt', { excerpt: Number.NaN }],
    ['a boolean category', { category: true }],
    ['a type too long', { type: 'x'.repeat(MAX_NAME_CHARS + 1) }],
    ['an impossible date', { publishedDateTime: '2021-02-30' }],
    [
      'a date out of range once its offset is applied',
      { publishedDateTime: '2100-12-31T23:30-01:00' },
    ],
    ['a number as date', { publishedDateTime: 20211026 }],
    ['an invalid Date', { publishedDateTime: new Date(Number.NaN) }],
    ['a javascript: URL', { webUrl: 'javascript:alert(1)' }],
    ['a URL with credentials', { webUrl: 'https://u:p@example.com/' }],
    ['a null webUrl', { webUrl: null, originalUrl: 'https://example.com/' }],
    ['no URL at all', { webUrl: undefined }],
    ['published as text', { published: 'yes' }],
    ['featured content too long', { featuredContent: 'x'.repeat(MAX_BLOCK_CHARS + 1) }],
    ['a provider as text', { provider: 'Example' }],
    ['a provider as a Date', { provider: new Date(0) }],
    ['a bad domain', { provider: { domain: 'a_b.com' } }],
    ['a domain label too long', { provider: { domain: `${'x'.repeat(64)}.com` } }],
    ['a domain name too long', { provider: { domain: longDomain(254) } }],
    ['topics as text', { topics: 'AI' }],
    ['a topic name too long', { topics: ['x'.repeat(MAX_TOPIC_NAME_CHARS + 1)] }],
    ['too many topics', { topics: Array(MAX_TOPICS + 1).fill('t') }],
    ['a null topic', { topics: [null] }],
    ['a Date among images', { images: [new Date(0)] }],
    ['a Date among related', { related: [new Date(0)] }],
    ['a Date as a related provider', { related: [{ provider: new Date(0) }] }],
  ])('%s', (_, change) => {
    const data: Record<string, unknown> = { ...base(), ...change };
    expect(fastArticle(data)).toBeUndefined();
    expectSameAsZod(data);
  });
});

// Random article-like objects: each field drawn mostly from values zod takes, sometimes from
// values at and beyond every bound, of every type YAML (or a caller) could hand over.
const MISSING = Symbol('missing');
const mostly = <T, U>(good: readonly T[], tricky: readonly U[]) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...good) },
    { weight: 1, arbitrary: fc.constantFrom(...tricky) },
  );
const ODD_VALUES = [
  0,
  -0,
  -1,
  1.5,
  1e21,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  true,
  false,
  [],
  ['a'],
  {},
  { a: 1 },
  new Date(0),
];
const texts = (max: number) => [
  MISSING,
  undefined,
  null,
  '',
  '  ',
  'news',
  ' padded ',
  'café 😀',
  12,
  'x'.repeat(max),
  `${'😀'.repeat(max / 2)}`,
];
const tooLong = (max: number) => ['x'.repeat(max + 1), `${'😀'.repeat(max / 2)}x`];
const text = (max: number) => mostly(texts(max), [...tooLong(max), ...ODD_VALUES]);
const title = mostly(
  [
    'A title',
    ' padded ',
    2023,
    0,
    -1.5,
    'x'.repeat(MAX_TITLE_CHARS),
    ` ${'x'.repeat(MAX_TITLE_CHARS)} `,
  ],
  [MISSING, undefined, null, '', '   ', ...tooLong(MAX_TITLE_CHARS), ...ODD_VALUES],
);
const date = mostly(
  [
    '2021-10-26T10:29:00Z',
    '2021-06-02T09:12:27-07:00',
    '2021-06-02',
    ' 2021-06-02 10:00 ',
    new Date(0),
  ],
  [
    ...[MISSING, undefined, null, '', 'yesterday', '2021-02-30', '2021-13-01', '1899-12-31'],
    ...['2100-12-31T23:30:00-01:00', '1900-01-01T00:30:00+01:00', '2021-06-02T24:00:00Z'],
    ...[new Date(Number.NaN), new Date('2200-01-01'), new Date('1800-01-01'), 20211026, ['2021']],
  ],
);
const GOOD_URLS = [
  'https://example.com/a',
  'http://sub.example.co.uk/a?b=1#c',
  'HTTPS://EXAMPLE.COM/A B',
  ' https://example.com/ ',
  'https://münchen.de/',
  'https://localhost/x',
];
const BAD_URLS = [
  '',
  '  ',
  '/relative',
  'example.com/a',
  'javascript:alert(1)',
  'data:text/html,x',
  'https://user:pw@example.com/',
  'https://:pw@example.com/',
  'https://intranet/',
  'https://exa mple.com/',
  'http://[::1]/',
  `https://example.com/${'a'.repeat(2048)}`,
  5,
  ['https://example.com/'],
];
const url = mostly([MISSING, ...GOOD_URLS], [undefined, null, ...BAD_URLS, ...ODD_VALUES]);
const anyUrl = mostly([MISSING, ...GOOD_URLS], [undefined, null, ...BAD_URLS]);
const domain = mostly(
  [
    'example.com',
    ' Example.COM ',
    'sub.example.co.uk',
    'localhost',
    'a-b.io',
    `${'x'.repeat(63)}.com`,
    longDomain(253),
    ` ${longDomain(253).toUpperCase()} `,
  ],
  [
    ...[MISSING, undefined, null, '', '  ', '-a.com', 'a..com', 'a_b.com', 'e.com.', 'münchen.de'],
    ...[`${'x'.repeat(64)}.com`, longDomain(254), longDomain(300)],
    ...ODD_VALUES,
  ],
);
const dimension = fc.constantFrom(
  MISSING,
  undefined,
  null,
  0,
  1,
  50,
  -1,
  1.5,
  99_999,
  100_000,
  '50',
);
/** An object of `fields`, without the ones drawn as MISSING, plus maybe an unknown key. */
const object = (fields: Record<string, fc.Arbitrary<unknown>>) =>
  fc
    .record({
      ...fields,
      extra: fc.constantFrom(MISSING, 'secured', 'quality', 'isCached', '__proto__', 'constructor'),
    })
    .map(({ extra, ...f }) =>
      Object.fromEntries(
        Object.entries({ ...f, ...(typeof extra === 'string' ? { [extra]: 1 } : {}) }).filter(
          ([, v]) => v !== MISSING,
        ),
      ),
    );
const NOT_OBJECTS = ['x', null, 5, [], [{}], new Date(0)];
const list = <T>(entry: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 5, arbitrary: fc.array(entry, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.constantFrom(MISSING, undefined, null, 'x', {}) },
  );
const image = fc.oneof(
  {
    weight: 8,
    arbitrary: object({
      url: anyUrl,
      width: dimension,
      height: dimension,
      title: text(MAX_NAME_CHARS),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(...NOT_OBJECTS) },
);
const related = fc.oneof(
  {
    weight: 8,
    arbitrary: object({
      title: text(MAX_TITLE_CHARS),
      excerpt: text(MAX_BLOCK_CHARS),
      publishedDateTime: fc.oneof(date, fc.constantFrom({ a: 1 }, [1])),
      webUrl: anyUrl,
      originalUrl: anyUrl,
      provider: fc.oneof(
        object({ name: text(MAX_NAME_CHARS), domain: text(MAX_NAME_CHARS) }),
        fc.constantFrom(MISSING, undefined, ...NOT_OBJECTS),
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom(...NOT_OBJECTS) },
);
const provider = fc.oneof(
  { weight: 12, arbitrary: object({ name: text(MAX_NAME_CHARS), domain, images: list(image) }) },
  { weight: 1, arbitrary: fc.constantFrom(MISSING, undefined, ...NOT_OBJECTS) },
);
const topics = mostly(
  [MISSING, null, [], ['AI'], ['AI', 2023, 1.5, -0], ['x'.repeat(MAX_TOPIC_NAME_CHARS)], ['', ' ']],
  [
    ...[
      undefined,
      'AI',
      { a: 1 },
      [Number.NaN],
      [Number.POSITIVE_INFINITY],
      [null],
      [true],
      [['x']],
    ],
    ...[
      ['x'.repeat(MAX_TOPIC_NAME_CHARS + 1)],
      Array(MAX_TOPICS).fill('t'),
      Array(MAX_TOPICS + 1).fill('t'),
    ],
  ],
);
const article = object({
  title,
  excerpt: text(MAX_BLOCK_CHARS),
  category: text(MAX_NAME_CHARS),
  type: text(MAX_NAME_CHARS),
  publishedDateTime: date,
  webUrl: url,
  originalUrl: url,
  published: mostly([MISSING, true, false], [undefined, null, 'yes', 1]),
  featuredContent: text(MAX_BLOCK_CHARS),
  provider,
  topics,
  images: list(image),
  related: list(related),
});

describe('fastArticle against zod, on generated articles', () => {
  it('returns undefined or exactly what zod returns; undefined whenever zod fails', () => {
    const seen = { invalid: 0, fast: 0, declined: 0 };
    fc.assert(
      fc.property(article, (data) => {
        seen[expectSameAsZod(data)]++;
      }),
      { numRuns: RUNS },
    );
    // Both sides must be exercised, or the property proves nothing.
    expect(seen.fast).toBeGreaterThan(RUNS / 10);
    expect(seen.invalid).toBeGreaterThan(RUNS / 10);
  });

  it('does so on a valid article with some of its fields changed', () => {
    const fields = fc.record(
      {
        title,
        excerpt: text(MAX_BLOCK_CHARS),
        publishedDateTime: date,
        webUrl: url,
        provider,
        topics,
      },
      { requiredKeys: [] },
    );
    const seen = { invalid: 0, fast: 0, declined: 0 };
    fc.assert(
      fc.property(fields, (change) => {
        const data: Record<string, unknown> = { ...base(), ...change };
        for (const [k, v] of Object.entries(change)) if (v === MISSING) delete data[k];
        seen[expectSameAsZod(data)]++;
      }),
      { numRuns: RUNS },
    );
    expect(seen.fast).toBeGreaterThan(RUNS / 10);
    expect(seen.invalid).toBeGreaterThan(RUNS / 10);
  });
});
