// Issue 5, "Output safety" and "Nothing lost": property tests over generated seeds.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BuiltDocument } from '../../src/compile/compile-build.ts';
import { compileBuild } from '../../src/compile/compile-build.ts';
import {
  cleanBlock,
  cleanLine,
  emptyTextStats,
  htmlToText,
  looksLikeHtml,
} from '../../src/core/clean-text.ts';
import { buildOptions } from '../support/build-options.ts';
import { assertValidJsonFeed, readWithFeedsmith, readXmlFeed } from '../support/feed-checks.ts';
import { leakedPieces } from '../support/leaked-pieces.ts';
import { expectOnlySafeTags } from '../support/safe-markup.ts';
import { writeSeedFolder } from '../support/seed-folder.ts';

/** Runs per property: enough to find escaping bugs (they show in the first few), still fast. */
const RUNS = 60;

const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  ']]>',
  ']]> and ]]> again ]]>',
  '<!ENTITY xxe SYSTEM "file:///etc/passwd">&xxe;',
  '{{ 7*7 }}',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: template syntax is the hostile input
  '${process.env}',
  '\u202Eevil\u202C',
  'zero\u200Bwidth\u200D',
  '&amp; &#038; &lt;b&gt;',
  'Giantâ€™s',
  '\u0000\u0001\u000B\uFFFE\uD800',
  'O\'Reilly & "Sons"',
  '\t\n  spaced   out \r\n',
];

/** Arbitrary Unicode (any code point, lone surrogates included) mixed with the hostile strings. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(...HOSTILE),
  fc
    .array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'binary', maxLength: 8 })), {
      maxLength: 4,
    })
    .map((parts) => parts.join(' ')),
);

/**
 * Topic names have bounds of their own (100 characters, a 200-byte URL-encoded slug;
 * docs/hostile-input.md): longer ones are rejected by design, so this stays inside them.
 */
const shortHostileText = hostileText.map((s) => s.slice(0, 20));

/** A YAML double-quoted scalar holding exactly `s`, every non-ASCII character escaped. */
function yamlQuote(s: string): string {
  return JSON.stringify(s).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

type Fields = { title: string; excerpt: string; provider: string; topic: string; related: string };

function hostileSeed(f: Fields, url = 'https://example.com/item'): string {
  return [
    '---',
    `title: ${yamlQuote(`T ${f.title} end`)}`,
    `excerpt: ${yamlQuote(f.excerpt)}`,
    'publishedDateTime: 2021-10-26T10:29:00Z',
    `webUrl: ${yamlQuote(url)}`,
    'provider:',
    `  name: ${yamlQuote(`P ${f.provider}`)}`,
    '  domain: example.com',
    'topics:',
    `  - ${yamlQuote(`topic ${f.topic}`)}`,
    'related:',
    `  - title: ${yamlQuote(`R ${f.related}`)}`,
    '    webUrl: "https://other.example/r"',
    'secured: "SECRET-0123456789"',
    '---',
    '',
  ].join('\n');
}

const byKey = (entries: BuiltDocument[], key: string) => {
  const e = entries.find((x) => x.path === key);
  if (!e) throw new Error(`no ${key}`);
  return e.body;
};

/** Hostile text in every text field of one article. */
const hostileFields: fc.Arbitrary<Fields> = fc.record({
  title: hostileText,
  excerpt: hostileText,
  provider: hostileText,
  topic: shortHostileText,
  related: hostileText,
});

describe('output safety', () => {
  it('renders arbitrary Unicode in every text field as well-formed feeds that third-party parsers read, text intact', async () => {
    await fc.assert(
      fc.asyncProperty(hostileFields, async (f) => {
        const dir = await writeSeedFolder({ 'a.md': hostileSeed(f) });
        const { documents: entries, report } = await compileBuild(buildOptions(dir));
        expect(report.problems).toEqual([]);
        // The documented normalisation (clean-text.ts): entities decoded once, mojibake
        // repaired, XML-illegal and bidi controls removed, whitespace collapsed.
        const title = cleanLine(`T ${f.title} end`, emptyTextStats());
        const excerpt = f.excerpt.trim() === '' ? undefined : f.excerpt;
        const rss = await readXmlFeed(byKey(entries, '/rss.xml'));
        const atom = await readXmlFeed(byKey(entries, '/atom.xml'));
        const json = assertValidJsonFeed(byKey(entries, '/feed.json')) as {
          items: {
            title: string;
            summary?: string;
            authors: { name: string }[];
            tags: string[];
          }[];
        };
        readWithFeedsmith(byKey(entries, '/rss.xml'));
        readWithFeedsmith(byKey(entries, '/atom.xml'));
        expect(rss.items[0]?.title).toBe(title);
        expect(atom.items[0]?.title).toBe(title);
        expect(json.items[0]?.title).toBe(title);
        expect(json.items[0]?.authors[0]?.name).toBe(
          cleanLine(`P ${f.provider}`, emptyTextStats()),
        );
        expect(json.items[0]?.tags[0]).toBe(
          cleanLine(`topic ${f.topic}`, emptyTextStats()).replace(/[<>]/g, '').trim(),
        );
        if (excerpt !== undefined) {
          const block = cleanBlock(excerpt, emptyTextStats());
          const expected = looksLikeHtml(block) ? htmlToText(block) : block.replace(/\s+/g, ' ');
          if (expected) expect(json.items[0]?.summary).toBe(expected);
        }
        for (const e of entries.filter((x) => x.type !== 'png' && x.type !== 'ico')) {
          // biome-ignore lint/suspicious/noControlCharactersInRegex: XML 1.0 §2.2 forbids exactly these
          expect(e.body).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
          expect(e.body).not.toMatch(/secured|SECRET-0123456789/);
        }
      }),
      { numRuns: RUNS },
    );
  }, 60_000);

  it('HTML pages escape everything and link only to http(s) URLs or site paths', async () => {
    await fc.assert(
      fc.asyncProperty(hostileFields, async (f) => {
        const dir = await writeSeedFolder({ 'a.md': hostileSeed(f) });
        const { documents: entries } = await compileBuild(buildOptions(dir));
        const pages = entries.filter((e) => e.type === 'html');
        expect(pages.length).toBeGreaterThanOrEqual(3);
        for (const page of pages) expectOnlySafeTags(page.body);
        for (const e of entries.filter((x) => x.type === 'feed')) {
          const doc = JSON.parse(e.body) as { items: { content_html?: string }[] };
          for (const item of doc.items) expectOnlySafeTags(item.content_html ?? '');
        }
      }),
      { numRuns: RUNS },
    );
  }, 60_000);
});

// ── Nothing lost ──────────────────────────────────────────────────────────────────────
const TOPICS = ['AI', 'ai', 'Cloud', 'Data  Science'];
const DOMAINS = ['a.example', 'b.example', 'c.example'];
const seedSpec = fc.record({
  url: fc.integer({ min: 0, max: 5 }),
  day: fc.integer({ min: 1, max: 9 }),
  published: fc.boolean(),
  valid: fc.boolean(),
  domain: fc.constantFrom(...DOMAINS),
  topics: fc.uniqueArray(fc.constantFrom(...TOPICS), { maxLength: 3 }),
});
type SeedSpec = typeof seedSpec extends fc.Arbitrary<infer T> ? T : never;

function specSeed(s: SeedSpec): string {
  return [
    '---',
    `title: "Article ${s.url} day ${s.day}"`,
    `publishedDateTime: ${s.valid ? `2021-01-0${s.day}T00:00:00Z` : '2021-13-01'}`,
    `webUrl: "https://${s.domain}/${s.url}"`,
    `published: ${s.published}`,
    'provider:',
    `  domain: ${s.domain}`,
    `topics: [${s.topics.map((t) => `"${t}"`).join(', ')}]`,
    '---',
  ].join('\n');
}

describe('nothing lost', () => {
  it('counts add up and every published article is in its site, topic and provider feeds (within the page size)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(seedSpec, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        async (specs, pageSize) => {
          const files: Record<string, string> = {};
          specs.forEach((s, i) => {
            files[`s${String(i).padStart(2, '0')}.md`] = specSeed(s);
          });
          const dir = await writeSeedFolder(files);
          const { documents: entries, report } = await compileBuild(
            buildOptions(dir, { pageSize }),
          );

          // The model: unpublished first (never validated), then invalid, then newest per URL.
          const winners = new Map<string, { url: string; date: number; s: SeedSpec }>();
          let unpublished = 0;
          let invalid = 0;
          specs.forEach((s) => {
            if (!s.published) unpublished++;
            else if (!s.valid) invalid++;
            else {
              const url = `https://${s.domain}/${s.url}`;
              const date = Date.UTC(2021, 0, s.day);
              const old = winners.get(url);
              // Same date: the later file wins, and files are visited in name order.
              if (!old || date >= old.date) winners.set(url, { url, date, s });
            }
          });
          // Newest first: the reverse of the archive order, oldest first by (date, URL).
          const published = [...winners.values()].sort(
            (a, b) => b.date - a.date || (a.url < b.url ? 1 : -1),
          );
          expect(report).toMatchObject({
            filesRead: specs.length,
            published: published.length,
            unpublished,
            invalid,
          });
          expect(report.filesRead).toBe(
            report.published + report.unpublished + report.invalid + report.duplicatesMerged,
          );
          const feedUrls = (key: string) =>
            entries.some((e) => e.path === key)
              ? (JSON.parse(byKey(entries, key)) as { items: { url: string }[] }).items.map(
                  (i) => i.url,
                )
              : [];
          const expectFeed = (key: string, members: typeof published) => {
            expect(feedUrls(key)).toEqual(members.slice(0, pageSize).map((a) => a.url));
          };
          expectFeed('/feed.json', published);
          for (const domain of DOMAINS) {
            expectFeed(
              `/providers/${domain}/feed.json`,
              published.filter((a) => a.s.domain === domain),
            );
          }
          for (const slug of ['ai', 'cloud', 'data-science']) {
            expectFeed(
              `/topics/${slug}/feed.json`,
              published.filter((a) =>
                a.s.topics.some((t) => t.toLowerCase().replace(/\s+/g, '-') === slug),
              ),
            );
          }
        },
      ),
      { numRuns: RUNS },
    );
  }, 60_000);
});

// ── The secured field, in every fixture corpus ───────────────────────────────────────
const root = resolve(import.meta.dirname, '../..');
const CORPORA = [
  join(root, 'seeds'),
  join(root, 'tests/fixtures/site'),
  join(root, '../shared/seeds'),
  ...(existsSync(join(root, '../shared/corpus'))
    ? readdirSync(join(root, '../shared/corpus')).map((d) => join(root, '../shared/corpus', d))
    : []),
].filter((dir) => existsSync(dir) && statSync(dir).isDirectory());

function securedValues(dir: string): string[] {
  const values: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const m = /^secured:\s*"?([^"\n]+)"?\s*$/m.exec(readFileSync(path, 'utf8'));
        if (m?.[1]) values.push(m[1]);
      }
    }
  };
  walk(dir);
  return values;
}

describe('the secured field', () => {
  it.each(CORPORA)(
    'never reaches the bundle of %s, by name or value',
    async (dir) => {
      const values = securedValues(dir);
      const { documents: entries } = await compileBuild(buildOptions(dir));
      const bundle = JSON.stringify(entries);
      expect(bundle).not.toMatch(/secured/i);
      // A piece of a value would leak as much: no 24-character run of any appears.
      expect(leakedPieces(bundle, values)).toEqual([]);
    },
    60_000,
  );

  it('has corpora that carry secured values to look for', () => {
    expect(CORPORA.flatMap(securedValues).length).toBeGreaterThan(0);
  });
});
