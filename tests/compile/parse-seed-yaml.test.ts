// parseSeedYaml reads a seed exactly as the js-yaml path does, or leaves it to that path.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { CORE_SCHEMA, load } from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeSeedText } from '../../src/compile/seeds/decode-seed-text.ts';
import {
  blockListLines,
  hasNodeProperties,
  parsePlainFrontMatter,
} from '../../src/compile/seeds/parse-plain-front-matter.ts';
import { parseSeedYaml } from '../../src/compile/seeds/parse-seed-yaml.ts';
import {
  generateSeeds,
  haveShared,
  realCorpusSeeds,
  repositorySeeds,
  SHARED,
  seedFiles,
} from '../support/seed-corpora.ts';
import { seedText } from '../support/seed-folder.ts';

const RUNS = 2000;

/** What js-yaml reads from the front matter, as parsePlainFrontMatter hands it over. */
function jsYamlReading(text: string) {
  const end = text.indexOf('\n---', 3);
  const block = text.slice(4, end);
  const data: unknown = load(text.slice(3, end + 1), { schema: CORE_SCHEMA });
  const topicLines = blockListLines(block, 'topics');
  // Whether the js-yaml path (before parseSeedYaml) took the seed rather than the careful one.
  const taken =
    !hasNodeProperties(block) &&
    typeof data === 'object' &&
    data !== null &&
    !Array.isArray(data) &&
    topicLines !== undefined;
  return { data, topicLines, taken };
}

/** The property every test here rests on: undefined, or exactly js-yaml's reading. */
function expectSameAsJsYaml(text: string): 'strict' | 'fallback' {
  const strict = parseSeedYaml(text);
  if (strict === undefined) return 'fallback';
  const js = jsYamlReading(text); // throws, and fails the test, if js-yaml refuses the text
  // isDeepStrictEqual first: toStrictEqual also compares `constructor`, a key YAML may set.
  if (!isDeepStrictEqual(strict.data, js.data)) expect(strict.data).toStrictEqual(js.data);
  expect(strict.topicLines).toEqual(js.topicLines);
  return 'strict';
}

/** Checks every seed of `files`; returns the share of js-yaml-path seeds read strictly. */
function acceptanceOf(files: string[]): number {
  let taken = 0;
  let strict = 0;
  for (const file of files) {
    const decoded = decodeSeedText(readFileSync(file));
    if (!decoded.ok) continue;
    const reading = expectSameAsJsYaml(decoded.text);
    let js: boolean;
    try {
      js = jsYamlReading(decoded.text).taken;
    } catch {
      js = false;
    }
    if (js) taken++;
    if (js && reading === 'strict') strict++;
  }
  expect(taken).toBeGreaterThan(0);
  return strict / taken;
}

if (!haveShared) console.log(`skipping the corpus and generated seeds: ${SHARED} is not here`);

describe('parseSeedYaml on real and generated seeds', () => {
  it('reads every seed of the repository as js-yaml does, topic lines included', () => {
    expect(acceptanceOf(repositorySeeds())).toBe(1);
  });

  it.skipIf(!haveShared)('reads the real corpora as js-yaml does, 99% of them itself', () => {
    const files = realCorpusSeeds();
    expect(files.length).toBeGreaterThan(200);
    expect(acceptanceOf(files)).toBeGreaterThanOrEqual(0.99);
  });

  let generated = '';
  afterAll(() => {
    if (generated) rmSync(join(generated, '..'), { recursive: true, force: true });
  });
  it.skipIf(!haveShared)('reads 2,000 generated seeds as js-yaml does, 99% of them itself', () => {
    generated = generateSeeds(2000, 1);
    const files = seedFiles(generated);
    expect(files).toHaveLength(2000);
    expect(acceptanceOf(files)).toBeGreaterThanOrEqual(0.99);
  });
});

describe('parseSeedYaml on what it must leave to js-yaml', () => {
  const doc = (...lines: string[]) => `---\n${lines.join('\n')}\n---\n`;

  it.each([
    ['an anchor and an alias', doc('a: &x 1', 'b: *x')],
    ['a tag', doc('a: !!str 5')],
    ['a local tag', doc('a: !x y')],
    ['a flow sequence', doc('a: [x, y]')],
    ['a flow mapping', doc('a: {x: 1}')],
    ['a literal block scalar', doc('a: |', '  x')],
    ['a folded block scalar', doc('a: >-', '  x')],
    ['a plain scalar on two lines', doc('a: x', '  y')],
    ['a double-quoted scalar on two lines', doc('a: "x', '  y"')],
    ['a single-quoted scalar on two lines', doc("a: 'x", "  y'")],
    ['an escaped line break', doc('a: "x\\', '  y"')],
    ['an unknown escape', doc('a: "\\q"')],
    ['a tab in indentation', doc('a:', '\tb: 1')],
    ['a tab after a colon', doc('a:\t1')],
    ['a duplicate key', doc('title: a', 'title: b')],
    ['keys that resolve alike', doc('1: a', '1.0: b')],
    ['a __proto__ key', doc('__proto__: x')],
    ['a merge key', doc('a: 1', '<<: {b: 2}')],
    ['a complex key', doc('? a', ': b')],
    ['a quoted key', doc('"a": b')],
    ['a space before the colon', doc('a : b')],
    ['a directive', doc('%YAML 1.2', 'a: b')],
    ['a document end marker', doc('a: b', '...')],
    ['a top-level sequence', doc('- a')],
    ['a top-level scalar', doc('just text')],
    ['an indented top level', doc('  a: b')],
    ['an empty front matter', doc('')],
    ['a value starting with an indicator', doc('a: @x')],
    ['a plain scalar with ": "', doc('a: b: c')],
    ['a plain scalar ending in ":"', doc('a: b:')],
    ['an empty sequence entry', doc('a:', '  -', '  - b')],
    ['a sequence in a sequence entry', doc('a:', '  - - b')],
    ['a misindented line', doc('a:', '    b: 1', '  c: 2')],
    ['a carriage return', doc('a: b\r', 'c: d')],
    ['a control character in a quoted scalar', doc('a: "b\u0007"')],
    ['a lone surrogate in a plain scalar', doc('a: b\ud800')],
    ['topics as a mapping', doc('topics:', '  a: 1')],
    ['topics with a comment after the colon', doc('topics: # list', '  - AI')],
    ['a column-0 comment between topics', doc('topics:', '  - AI', '# cloud next', '  - Cloud')],
    ['topics as a list of mappings', doc('topics:', '  - name: AI')],
    ['a closing line that is not just ---', '---\na: b\n--- x\n'],
    ['no closing line', '---\na: b\n'],
  ])('%s', (_, text) => {
    expect(parseSeedYaml(text)).toBeUndefined();
  });

  it('still reads, through js-yaml, what it leaves and js-yaml can read', () => {
    const text = doc('a: |', '  x', 'b: "y', '  z"', 'topics:', '  - AI');
    expect(parseSeedYaml(text)).toBeUndefined();
    expect(parsePlainFrontMatter(text)).toEqual({
      data: { a: 'x\n', b: 'y z', topics: ['AI'] },
      topicLines: [7],
    });
  });
});

describe('parseSeedYaml on what it reads', () => {
  it('gives the file line of each topic: lines 20 and 21 here', () => {
    const text = seedText({ topics: ['AI', 'Cloud'] }).replace(
      'provider:',
      [
        '# nine more lines',
        'quality: 112',
        '',
        '',
        'heat: 7',
        '',
        '',
        'published: true',
        '',
        'provider:',
      ].join('\n'),
    );
    expect(text.split('\n').slice(18, 21)).toEqual(['topics:', '  - "AI"', '  - "Cloud"']);
    expect(parseSeedYaml(text)?.topicLines).toEqual([20, 21]);
    expect(parseSeedYaml(text)?.data.topics).toEqual(['AI', 'Cloud']);
    expect(parseSeedYaml(seedText())?.topicLines).toEqual([11]);
  });

  it('reads a seed of every supported kind of line into plain objects', () => {
    const text = [
      '---',
      '# a comment',
      'category: news',
      'title: "Worth $1 \\"billion\\" \\u00e9\\t\\x41\\U0001F600"',
      "excerpt: '64% of IT [&#8230;] it''s'",
      'publishedDateTime: 2023-03-20T05:38:00Z # a comment',
      'quality: 112',
      'heat: 0x1F',
      'published: true',
      'missing:',
      'nothing: ~',
      '',
      'provider:',
      '  name: Digital & Zone',
      '  images:',
      '    - url: https://x/a.jpg#frag',
      '      width: 50',
      'topics:',
      '- Smartphones',
      '- 2023',
      '---',
      'body',
    ].join('\n');
    const got = parseSeedYaml(text);
    expect(got).toStrictEqual({
      data: {
        category: 'news',
        title: 'Worth $1 "billion" é\tA😀',
        excerpt: "64% of IT [&#8230;] it's",
        publishedDateTime: '2023-03-20T05:38:00Z',
        quality: 112,
        heat: 31,
        published: true,
        missing: null,
        nothing: null,
        provider: { name: 'Digital & Zone', images: [{ url: 'https://x/a.jpg#frag', width: 50 }] },
        topics: ['Smartphones', 2023],
      },
      topicLines: [19, 20],
    });
    expectSameAsJsYaml(text);
  });
});

// The generated front matter: a tree of mappings and sequences, laid out by a list of
// numbers (indentation, blank lines, comments, trailing spaces, a stray tab or space).
// Scalars and keys it may read...
const SCALARS = [
  'news',
  'two words',
  'true',
  'True',
  'TRUE',
  'false',
  'yes',
  'no',
  '~',
  'null',
  'Null',
  'NULL',
  '',
  '0',
  '-0',
  '-0.0',
  '012',
  '0o17',
  '0x1F',
  '0b101',
  '1_000',
  '+1',
  '-12',
  '.5',
  '1.',
  '1e3',
  '1e400',
  '-.inf',
  '.NaN',
  '123456789012345678',
  '2023-03-20',
  '2023-03-20T05:38:00Z',
  'a #b',
  'a#b',
  '#x',
  '-x',
  '?x',
  ':x',
  'x:y',
  'x, [y]',
  "'q'",
  '"q"',
  '"a\\"b"',
  '"\\u00e9\\t"',
  '"\\x41\\U0001F600\\N\\_\\L\\P\\e\\0\\/\\ "',
  '"\\UFFFFFFFF"',
  '"\\ud800"',
  "'it''s'",
  "'\\n'",
  'a   ',
  'café',
  '日本語',
  '😀',
  '\u0085x',
  'x\ufeff',
  'x\u2028y',
  'https://e.com/a?b=1&c=2#top',
  'Tom & Jerry !',
  '<<',
  '...',
];
// ...and those it must not, or that js-yaml refuses.
const RISKY_SCALARS = [
  'a: b',
  '- x',
  '? x',
  'x:',
  '[x]',
  '{x}',
  '&a',
  '*a',
  '!x',
  '|',
  '>',
  '%x',
  '@x',
  '`x',
  '"\\q"',
  '"a',
  "'a",
  'a\tb',
  'x\u007f',
  '\ud800x',
  'x\udc00',
  '"a\u0007b"',
  "'a\u001bb'",
  '---',
];
const KEYS = ['title', 'topics', 'a', 'b', 'url', 'a b', 'a-b', 'a.b', '1', 'true', 'null'];
const RISKY_KEYS = [
  '01',
  '1.0',
  '0x1F',
  '1e3',
  'True',
  'Null',
  '~',
  '__proto__',
  'constructor',
  'toString',
  '<<',
  '? a',
  'a:b',
  '-a',
  '"q"',
  "'q'",
  'a ',
  '_x',
  'é',
  'x#y',
  'x #y',
  '.5',
];
const CHARS = 'ab1 :#-?.e"\'\\\t[{&*!|>%@`,~+_'
  .split('')
  .concat('é', '😀', '\u0085', '\u2028', '\u0001', '\r');

const fragment = fc.array(fc.constantFrom(...CHARS), { maxLength: 6 }).map((a) => a.join(''));
const scalar = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom(...SCALARS) },
  { weight: 1, arbitrary: fc.constantFrom(...RISKY_SCALARS) },
  { weight: 1, arbitrary: fragment },
  { weight: 2, arbitrary: fragment.map((s) => JSON.stringify(s)) },
  { weight: 2, arbitrary: fragment.map((s) => `'${s.replaceAll("'", "''")}'`) },
);
const key = fc.oneof(
  { weight: 40, arbitrary: fc.constantFrom(...KEYS) },
  { weight: 2, arbitrary: fc.constantFrom(...RISKY_KEYS) },
  { weight: 1, arbitrary: fragment },
);

/** Mapping entries, mostly with distinct keys (a duplicate is an error js-yaml reports). */
function entries<T>(value: fc.Arbitrary<T>, maxLength: number) {
  return fc.uniqueArray(fc.tuple(key, value), { minLength: 1, maxLength, selector: ([k]) => k });
}

type Node = string | { map: [string, Node][] } | { seq: Node[] };
const { node } = fc.letrec<{ node: Node; map: Node; seq: Node }>((tie) => ({
  node: fc.oneof({ depthSize: 'xsmall', withCrossShrink: true }, scalar, tie('map'), tie('seq')),
  map: entries(tie('node'), 3).map((map) => ({ map })),
  seq: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((seq) => ({ seq })),
}));
const frontMatter = fc.record({
  top: entries(node, 6),
  layout: fc.array(fc.nat(199), { minLength: 32, maxLength: 32 }),
});

/** Renders the tree as block YAML, letting `layout` pick every indentation and extra line. */
function render({ top, layout }: { top: [string, Node][]; layout: number[] }): string {
  let k = 0;
  const pick = () => layout[k++ % layout.length] ?? 0;
  const lines: string[] = [];
  const emit = (line: string) => {
    const n = pick();
    // Mid-range numbers: fast-check favours the smallest and largest.
    if (n === 100) lines.push(`\t${line}`);
    else if (n === 101) lines.push(` ${line}`);
    else if (n < 110 && n > 100) lines.push(`${line}  `);
    else if (n < 120 && n > 100) lines.push(`${line} # c`);
    else lines.push(line);
    const after = pick();
    if (after >= 120 && after < 136) lines.push('');
    else if (after >= 136 && after < 142) lines.push(`${' '.repeat(after - 136)}# note`);
  };
  const step = () => {
    const n = pick();
    return n < 120 ? 2 : 1 + (n % 4);
  };
  const value = (head: string, v: Node, indent: number) => {
    if (typeof v === 'string') emit(`${head} ${v}`);
    else if ('map' in v) {
      emit(head);
      mapping(v.map, indent + step());
    } else {
      emit(head);
      sequence(v.seq, pick() < 60 ? indent : indent + step());
    }
  };
  const mapping = (entries: [string, Node][], indent: number, first = '') => {
    entries.forEach(([k, v], i) => {
      value(`${i === 0 && first ? first : ' '.repeat(indent)}${k}:`, v, indent);
    });
  };
  const sequence = (items: Node[], indent: number) => {
    for (const item of items) {
      const dash = `${' '.repeat(indent)}-`;
      if (typeof item === 'string') emit(`${dash} ${item}`);
      else if ('map' in item) mapping(item.map, indent + 2, `${dash} `);
      else {
        emit(dash);
        sequence(item.seq, indent + step());
      }
    }
  };
  mapping(top, 0);
  return `---\n${lines.join('\n')}\n---\nbody\n`;
}

// Lines that break structure in every way they can, for the second property.
const LINES = [
  'a: b',
  'a:',
  'b: "c"',
  'c: 1',
  'd:',
  'topics:',
  '  - x',
  '- x',
  '  - a: 1',
  '    b: 2',
  '  b: 2',
  '   c: 3',
  '  - - x',
  '  -',
  '# c',
  '  # c',
  '',
  '   ',
  '\tx: 1',
  '  y',
  'a: "q',
  '  q"',
  'title: 1',
  '...',
  '--- x',
];

describe('parseSeedYaml against js-yaml, on generated front matter', () => {
  it('returns undefined or exactly what js-yaml returns, for trees of tricky scalars', () => {
    const seen = { strict: 0, fallback: 0 };
    fc.assert(
      fc.property(frontMatter, (f) => {
        seen[expectSameAsJsYaml(render(f))]++;
      }),
      { numRuns: RUNS },
    );
    // Both sides must be exercised, or the property proves nothing.
    expect(seen.strict).toBeGreaterThan(RUNS / 5);
    expect(seen.fallback).toBeGreaterThan(RUNS / 5);
  });

  it('returns undefined or exactly what js-yaml returns, for lines in any order', () => {
    const seen = { strict: 0, fallback: 0 };
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...LINES), { minLength: 1, maxLength: 8 }), (lines) => {
        seen[expectSameAsJsYaml(`---\n${lines.join('\n')}\n---\n`)]++;
      }),
      { numRuns: RUNS },
    );
    expect(seen.strict).toBeGreaterThan(RUNS / 20);
    expect(seen.fallback).toBeGreaterThan(RUNS / 2);
  });
});
