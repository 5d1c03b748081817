// Text hygiene's fast paths (one look, then skip the steps with nothing to do) give exactly
// what the plain code gave: that code is kept below, unchanged, as the oracle.
import { isDeepStrictEqual } from 'node:util';
import { decodeHTML } from 'entities';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeArticle } from '../../src/compile/seeds/normalize-article.ts';
import { sanitizeEmbed, sanitizeHtml } from '../../src/compile/seeds/sanitize-html.ts';
import type { Article } from '../../src/core/article-schema.ts';
import {
  cleanBlock,
  cleanBlockAndCollapse,
  cleanLine,
  collapseSpaces,
  emptyTextStats,
  htmlToText,
  looksLikeHtml,
  type TextStats,
} from '../../src/core/clean-text.ts';
import { parseWebUrl } from '../../src/core/parse-web-url.ts';
import type { PublishedArticle } from '../../src/core/published-article.ts';
import { removeXmlIllegal } from '../../src/core/remove-xml-illegal.ts';
import { repairMojibake } from '../../src/core/repair-mojibake.ts';
import { escapeXml } from '../../src/core/xml-escape.ts';

const RUNS = 3000;

// ---- Reference oracles: the code before the fast paths, kept as it was. ----

const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';
const BYTE_OF = new Map<string, number>();
for (let i = 0; i < 32; i++) BYTE_OF.set(CP1252_HIGH.charAt(i), 0x80 + i);
for (let b = 0xa0; b <= 0xff; b++) BYTE_OF.set(String.fromCharCode(b), b);
const CONTINUATION = `[${[...BYTE_OF]
  .filter(([, b]) => b >= 0x80 && b <= 0xbf)
  .map(([c]) => (/[\]\\^-]/.test(c) ? `\\${c}` : c))
  .join('')}]`;
const SUSPECT = new RegExp(
  `[\u00C2-\u00DF]${CONTINUATION}|[\u00E0-\u00EF]${CONTINUATION}{2}|[\u00F0-\u00F4]${CONTINUATION}{3}`,
  'g',
);
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function referenceRepairMojibake(text: string): { text: string; repairs: number } {
  let repairs = 0;
  const repaired = text.replace(SUSPECT, (run) => {
    const bytes = new Uint8Array(run.length);
    for (let i = 0; i < run.length; i++) bytes[i] = BYTE_OF.get(run.charAt(i)) ?? 0;
    try {
      const decoded = strictUtf8.decode(bytes);
      repairs++;
      return decoded;
    } catch {
      return run;
    }
  });
  return { text: repaired, repairs };
}

function referenceScrub(text: string, stats: TextStats): string {
  const repaired = referenceRepairMojibake(text);
  const legal = removeXmlIllegal(repaired.text);
  stats.mojibakeRepaired += repaired.repairs;
  stats.illegalRemoved += legal.removed;
  return legal.text;
}

function referenceCleanLine(text: string, stats: TextStats): string {
  return referenceScrub(decodeHTML(text), stats)
    .replace(/[\u202A-\u202E\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

function referenceCleanBlock(text: string, stats: TextStats): string {
  return referenceScrub(text, stats).trim();
}

function referenceLooksLikeHtml(text: string): boolean {
  return /<\/?[A-Za-z][^<>]*>|&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});/.test(
    text,
  );
}

function referenceHtmlToText(html: string): string {
  const withoutTags = html.replace(/<\/?[A-Za-z][^<>]*>|<!--[\s\S]*?-->/g, ' ');
  return removeXmlIllegal(decodeHTML(withoutTags)).text.replace(/\s+/g, ' ').trim();
}

const KEPT_TAGS = new Set('a b blockquote br code em i li ol p pre strong sub sup ul'.split(' '));
const REFERENCE_ATTRIBUTE = /([A-Za-z][\w:-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function referenceSanitizeHtml(html: string): string {
  let out = '';
  let last = 0;
  const source = html.replace(
    /<(script|style|template|noscript|textarea|title|xmp)\b[\s\S]*?<\/\1\s*>/gi,
    ' ',
  );
  const token = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<![^>]*>|<\?[^>]*>|<\/?[A-Za-z][^<>]*>/g;
  for (const match of source.matchAll(token)) {
    out += escapeXml(decodeHTML(source.slice(last, match.index)));
    out += referenceKeptTag(match[0]);
    last = match.index + match[0].length;
  }
  return out + escapeXml(decodeHTML(source.slice(last)));
}

function referenceKeptTag(tag: string): string {
  const m = /^<(\/?)([A-Za-z][A-Za-z0-9]*)/.exec(tag);
  const name = m?.[2]?.toLowerCase() ?? '';
  if (!m || !KEPT_TAGS.has(name)) return '';
  if (m[1]) return `</${name}>`;
  if (name !== 'a') return name === 'br' ? '<br>' : `<${name}>`;
  for (const [, attr = '', dq, sq, bare] of tag.slice(2).matchAll(REFERENCE_ATTRIBUTE)) {
    if (attr.toLowerCase() !== 'href') continue;
    const url = parseWebUrl(decodeHTML(dq ?? sq ?? bare ?? ''));
    return url.ok ? `<a href="${escapeXml(url.url)}">` : '<a>';
  }
  return '<a>';
}

function referenceNormalizeArticle(
  file: string,
  article: Article,
  stats: TextStats,
  lines: number[] = [],
): PublishedArticle {
  const url = article.webUrl ?? article.originalUrl ?? '';
  const excerpt = article.excerpt === undefined ? '' : referenceCleanBlock(article.excerpt, stats);
  const isHtml = referenceLooksLikeHtml(excerpt);
  const summaryText = isHtml ? referenceHtmlToText(excerpt) : excerpt.replace(/\s+/g, ' ');
  const featuredRaw = article.featuredContent
    ? referenceCleanBlock(article.featuredContent, stats)
    : '';
  const featured = featuredRaw
    ? (sanitizeEmbed(featuredRaw) ?? referenceSanitizeHtml(featuredRaw))
    : '';
  const image = article.images?.find((i) => i.url);
  const providerName = article.provider.name
    ? referenceCleanLine(article.provider.name, stats)
    : '';
  const seenRelated = new Set<string>([url]);
  const related: PublishedArticle['related'] = [];
  for (const r of article.related ?? []) {
    const link = r.webUrl ?? r.originalUrl;
    const title = r.title ? referenceCleanLine(r.title, stats) : '';
    if (!link || !title || seenRelated.has(link) || related.length >= 10) continue;
    seenRelated.add(link);
    const name = r.provider?.name ? referenceCleanLine(r.provider.name, stats) : r.provider?.domain;
    related.push({ title, url: link, providerName: name || undefined });
  }
  const topicNames: string[] = [];
  const topicLines: number[] = [];
  for (const [index, raw] of (article.topics ?? []).entries()) {
    const name = referenceCleanLine(raw, stats).replace(/[<>]/g, '').trim();
    if (name) {
      topicNames.push(name);
      topicLines.push(lines[index] ?? 1);
    }
  }
  return {
    url,
    file,
    title: referenceCleanLine(article.title, stats),
    summaryText: summaryText || undefined,
    summaryHtml: isHtml && excerpt ? referenceSanitizeHtml(excerpt) : undefined,
    featuredHtml: featured.trim() || undefined,
    date: article.publishedDateTime.getTime(),
    provider: {
      domain: article.provider.domain,
      name: providerName || article.provider.domain,
      logo: article.provider.images?.find((i) => i.url)?.url,
    },
    topicNames,
    topicLines,
    topics: [],
    image: image?.url ? { url: image.url, width: image.width, height: image.height } : undefined,
    related,
  };
}

// ---- Inputs: plain words (the fast path) mixed with everything some step acts on. ----

const ATOMS = [
  ...['Giant', 'news', 'AI', '2021', '.', ',', '-', '"', "'", '/', ' ', ' ', ' ', '  '],
  ...['\t', '\n', '\r', '\r\n', '\u000B', '\u000C', '\u00A0', '\u1680', '\u2000', '\u200A'],
  ...['\u2028', '\u2029', '\u202F', '\u205F', '\u3000', '\uFEFF', '\u200B', '\u0085'],
  ...['&', '&amp;', '&#038;', '&#8230;', '&nbsp;', '&bogus;', '&lt;b&gt;', '&#x1F600;', '&amp'],
  ...['&#0;', '&#xD800;', '<', '>', '<b>', '</b>', '<p>', '<br/>', '<!-- c -->', '</a>'],
  ...['<a href="https://x.example/?a=1&amp;b=2">', '<a href=javascript:alert(1)>'],
  ...['<script>x</script>', '<iframe src="https://www.youtube.com/embed/x"></iframe>'],
  ...['â€™', 'â€œ', 'â€\u009D', 'Ã©', 'Ã¼', 'Ã', 'Â', 'Â©', 'ðŸ˜€', 'æ—¥', 'â‚¬', 'ô'],
  ...['\u00E0\u0080\u0080', '\u00C0\u0080', '\u00ED\u00A0\u0080', '\u00F4\u0090\u0080\u0080'],
  ...['café', 'Zürich', 'naïve', 'Ærøskøbing', 'Straße', 'é', 'ß', '—', '…', '’', '日本語'],
  ...['\u0000', '\u0001', '\u0008', '\u001F', '\u007F', '\uD800', '\uDC00', '😀', '\uFFFE'],
  ...['\uFFFF', '\u202A', '\u202E', '\u2066', '\u2069', '\u200E', '\u200F'],
];
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const tricky = fc
  .array(fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...ATOMS) }, codeUnit), {
    maxLength: 16,
  })
  .map((parts) => parts.join(''));
/** Mostly plain text, so both the fast and the careful path are taken often. */
const text = fc.oneof(
  tricky,
  fc
    .array(fc.constantFrom('Giant', 'news', ' ', 'é', '’', '—'), { maxLength: 12 })
    .map((p) => p.join('')),
);

/** Runs a fast function and its oracle on fresh stats; says what differs, if anything. */
function differs<T>(fast: (s: TextStats) => T, reference: (s: TextStats) => T): string | undefined {
  const fastStats = emptyTextStats();
  const referenceStats = emptyTextStats();
  const got = { result: fast(fastStats), stats: fastStats };
  const want = { result: reference(referenceStats), stats: referenceStats };
  return isDeepStrictEqual(got, want)
    ? undefined
    : `${JSON.stringify(got)} != ${JSON.stringify(want)}`;
}

/** Where the cleaning functions differ from their oracles on `t` (an empty list when none). */
function cleaningDifferences(t: string): string[] {
  const found = [
    differs(
      (s) => cleanLine(t, s),
      (s) => referenceCleanLine(t, s),
    ),
    differs(
      (s) => cleanBlock(t, s),
      (s) => referenceCleanBlock(t, s),
    ),
    differs(
      (s) => cleanBlockAndCollapse(t, s),
      (s) => {
        const block = referenceCleanBlock(t, s);
        return { block, collapsed: block.replace(/\s+/g, ' ') };
      },
    ),
    differs(
      () => repairMojibake(t),
      () => referenceRepairMojibake(t),
    ),
    differs(
      () => collapseSpaces(t),
      () => t.replace(/\s+/g, ' '),
    ),
  ];
  return found.filter((d) => d !== undefined).map((d) => `${JSON.stringify(t)}: ${d}`);
}

describe('text hygiene fast paths', () => {
  it('clean every string as the plain code did, with the same counts', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(cleaningDifferences(t)).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });

  it('skip no step for any single UTF-16 code unit, between letters or doubled between spaces', () => {
    const found: string[] = [];
    for (let code = 0; code <= 0xffff && found.length < 10; code++) {
      const c = String.fromCharCode(code);
      for (const t of [`a${c}b`, ` ${c}${c} `]) found.push(...cleaningDifferences(t));
    }
    expect(found).toEqual([]);
  });

  it('read HTML as the plain code did', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(looksLikeHtml(t)).toBe(referenceLooksLikeHtml(t));
        expect(htmlToText(t)).toBe(referenceHtmlToText(t));
        expect(sanitizeHtml(t)).toBe(referenceSanitizeHtml(t));
      }),
      { numRuns: RUNS },
    );
  });

  const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const link = optional(
    fc.constantFrom('https://a.example/1', 'https://a.example/2', 'https://b.example/'),
  );
  const image = fc.record({
    url: optional(fc.constant('https://img.example/i.png')),
    width: optional(fc.constant(640)),
    height: optional(fc.constant(480)),
    title: optional(text),
  });
  const article: fc.Arbitrary<Article> = fc.record({
    title: text,
    excerpt: optional(text),
    category: optional(text),
    type: optional(text),
    publishedDateTime: fc.constant(new Date('2021-10-26T10:29:00Z')),
    webUrl: link,
    originalUrl: link,
    published: optional(fc.boolean()),
    featuredContent: optional(
      fc.oneof(
        text,
        fc.constantFrom(
          '<iframe width="560" src="https://www.youtube.com/embed/x" allowfullscreen></iframe>',
          ' <iframe src="javascript:alert(1)"></iframe>\n',
        ),
      ),
    ),
    provider: fc.record({
      name: optional(text),
      domain: fc.constant('example.com'),
      images: optional(fc.array(image, { maxLength: 2 })),
    }),
    topics: optional(fc.array(text, { maxLength: 4 })),
    images: optional(fc.array(image, { maxLength: 2 })),
    related: optional(
      fc.array(
        fc.record({
          title: optional(text),
          excerpt: optional(text),
          publishedDateTime: fc.constant(undefined),
          webUrl: link,
          originalUrl: link,
          provider: optional(
            fc.record({ name: optional(text), domain: optional(fc.constant('r.example')) }),
          ),
        }),
        { maxLength: 12 },
      ),
    ),
  });

  it('normalize every article as the plain code did, with the same counts', () => {
    fc.assert(
      fc.property(article, optional(fc.array(fc.nat(99), { maxLength: 4 })), (a, lines) => {
        const difference = differs(
          (s) => normalizeArticle('a.md', a, s, lines),
          (s) => referenceNormalizeArticle('a.md', a, s, lines),
        );
        expect(difference).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });
});
