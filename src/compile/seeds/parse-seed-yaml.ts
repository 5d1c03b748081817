import { type Type, types } from 'js-yaml';

declare module 'js-yaml' {
  /** js-yaml's built-in types (its index exports them); @types/js-yaml 4.0.9 omits them. */
  export const types: Readonly<Record<'null' | 'bool' | 'int' | 'float', Type>>;
}

export type SeedYaml = { data: Record<string, unknown>; topicLines: number[] };

// CORE_SCHEMA's implicit types in its order (js-yaml lib/schema/json.js): reusing them is
// what makes `012`, `0b101`, `.NaN` or `1_000` resolve exactly as js-yaml resolves them.
const IMPLICIT: readonly Type[] = [types.null, types.bool, types.int, types.float];
// Real seeds nest 3 deep; far below js-yaml's maxDepth (100) and the careful path's 64.
const MAX_DEPTH = 16;
// Where js-yaml's readPlainScalar would not start a plain scalar (YAML 1.2 §7.3.3).
const INDICATOR = new Uint8Array(128);
for (const c of '#&*!|>\'"%@`,[]{}') INDICATOR[c.charCodeAt(0)] = 1;

/**
 * A strict reader for the YAML subset real seeds use: block mappings and sequences by
 * spaces, one-line plain, single- and double-quoted scalars, comments. It returns exactly
 * what `load(block, { schema: CORE_SCHEMA })` returns, and the topic lines `blockListLines`
 * gives, or undefined whenever it is not sure of that (anchors, tags, flow collections,
 * multi-line scalars, tabs, odd keys or indentation...): the caller then asks js-yaml.
 * Same contract as `parsePlainFrontMatter`; about five times faster than js-yaml.
 */
export function parseSeedYaml(text: string): SeedYaml | undefined {
  if (!text.startsWith('---\n')) return undefined;
  const r = new Reader(text);
  if (!r.next() || r.ind !== 0) return undefined; // top level indented, or no content at all
  const topicLines: number[] = [];
  const data = readMapping(r, 0, 0, topicLines);
  if (data === undefined || r.ind >= 0) return undefined;
  return { data, topicLines };
}

/**
 * A cursor over the lines of the front matter, which ends at the first line starting with
 * `---`, as in `parsePlainFrontMatter`. Scanners stop at a line's `\n` and fail on NaN: the
 * text may end without one.
 */
class Reader {
  readonly t: string;
  le = 3; // the `\n` that ends the line read last
  at = 0; // first character of the current content line, or of a compact mapping's key
  ind = 0; // its column; -1 past the last line
  line = 1; // file line of the current line
  col0Comment = false; // the last `next` skipped a comment in column 0
  q = 0; // where the last key or quoted scalar read ended
  bs = -1; // the next backslash at or after where it was last looked for

  constructor(t: string) {
    this.t = t;
  }

  /**
   * Moves past blank and comment lines to the next line with content, or to the closing
   * line (`ind` -1); false when not sure: no closing line, or one that is not just `---`.
   */
  next(): boolean {
    const t = this.t;
    let p = this.le + 1;
    this.col0Comment = false;
    for (;;) {
      if (t.charCodeAt(p) === 45 && t.startsWith('---', p)) {
        const c = t.charCodeAt(p + 3);
        this.ind = -1;
        return c === 10 || Number.isNaN(c);
      }
      if (p >= t.length) return false;
      this.line++;
      let q = p;
      while (t.charCodeAt(q) === 32) q++;
      const c = t.charCodeAt(q);
      if (c === 10) {
        p = q + 1;
      } else if (c === 35) {
        if (q === p) this.col0Comment = true;
        const e = skipComment(t, q);
        if (e < 0) return false;
        p = e + 1;
      } else {
        // A tab or a control character here is content nothing below accepts.
        this.at = q;
        this.ind = q - p;
        return true;
      }
    }
  }

  /** True at a block sequence entry: `-` then a space or the end of the line. */
  atDash(): boolean {
    const t = this.t;
    if (t.charCodeAt(this.at) !== 45) return false;
    const c = t.charCodeAt(this.at + 1);
    return c === 32 || c === 10;
  }
}

/**
 * The block mapping whose keys sit in column `col`, starting at `r.at`; it ends before the
 * first line indented less. `topics` collects the lines of top-level `topics` entries.
 */
function readMapping(
  r: Reader,
  col: number,
  depth: number,
  topics?: number[],
): Record<string, unknown> | undefined {
  const t = r.t;
  const out: Record<string, unknown> = {};
  for (;;) {
    const key = readKey(r, r.at);
    // js-yaml throws on a duplicate; `__proto__` needs defineProperty, which we leave to it.
    if (key === undefined || key === '__proto__' || Object.hasOwn(out, key)) return undefined;
    const list = topics !== undefined && key === 'topics' ? topics : undefined;
    let p = r.q + 1;
    while (t.charCodeAt(p) === 32) p++;
    let c = t.charCodeAt(p);
    let value: unknown;
    if (c === 10 || c === 35) {
      if (c === 35) {
        if (list) return undefined; // blockListLines reads nothing but spaces after `topics:`
        p = skipComment(t, p);
        if (p < 0) return undefined;
      }
      r.le = p;
      // blockListLines also stops at a comment in column 0, where js-yaml reads on.
      if (!r.next() || (list && r.col0Comment) || depth >= MAX_DEPTH) return undefined;
      if (r.ind > col) {
        // The value is the collection on the next lines; a scalar there spans lines.
        c = r.ind;
        if (r.atDash()) value = readSequence(r, c, depth + 1, list);
        else value = list ? undefined : readMapping(r, c, depth + 1);
      } else if (r.ind === col && r.atDash()) {
        value = readSequence(r, col, depth + 1, list); // YAML lets it share the key's column
      } else {
        value = null;
      }
    } else {
      value = list ? undefined : readScalar(r, p);
      if (value !== undefined && !r.next()) return undefined;
    }
    if (value === undefined) return undefined;
    out[key] = value;
    if (r.ind < col) return out;
    // A deeper line here continues a plain scalar or is misplaced: js-yaml's call.
    if (r.ind > col) return undefined;
  }
}

/** The block sequence whose `-` sit in column `col`; `topics` collects each entry's line. */
function readSequence(
  r: Reader,
  col: number,
  depth: number,
  topics?: number[],
): unknown[] | undefined {
  const t = r.t;
  const out: unknown[] = [];
  for (;;) {
    const lineStart = r.at - r.ind;
    let p = r.at + 1;
    while (t.charCodeAt(p) === 32) p++;
    // An empty entry, one that starts on the next line (`-` then a comment) or a nested
    // `- - x` is left to js-yaml (rare, and subtle there): readScalar refuses all three.
    topics?.push(r.line);
    let item: unknown;
    if (isKey(t, p)) {
      // A compact mapping (`- url: ...`); blockListLines wants one line per topic.
      if (topics || depth >= MAX_DEPTH) return undefined;
      r.at = p;
      r.ind = p - lineStart;
      item = readMapping(r, r.ind, depth + 1);
    } else {
      item = readScalar(r, p);
      if (item !== undefined && !r.next()) return undefined;
    }
    if (item === undefined) return undefined;
    out.push(item);
    if (r.ind === col && r.atDash()) {
      // blockListLines stops at a comment in column 0; js-yaml reads on.
      if (topics && r.col0Comment) return undefined;
    } else if (r.ind <= col) {
      return out;
    } else {
      return undefined; // deeper: a plain scalar's next line, or bad indentation
    }
  }
}

// The keys read last, by a hash of their text: seeds repeat the same twenty keys, and
// reusing one string (resolved, and interned by its first use) saves most of their cost.
const KEY_TEXT: (string | undefined)[] = new Array(256);
const KEY_NAME: string[] = new Array(256);

/**
 * The plain key at `p` as js-yaml names the property (`String` of its resolved value), and
 * `r.q` at its `:`; undefined unless it is letters, digits and `_`, then also ` .-`, ended
 * by `: ` or a `:` that ends the line. Conservative: no quotes, no `<<`, no space before `:`.
 */
function readKey(r: Reader, p: number): string | undefined {
  const t = r.t;
  let c = t.charCodeAt(p);
  if (!(isAlnum(c) || c === 95)) return undefined;
  let h = c;
  let q = p;
  for (;;) {
    c = t.charCodeAt(++q);
    if (!(isAlnum(c) || c === 95 || c === 32 || c === 46 || c === 45)) break;
    h = (h * 31 + c) | 0;
  }
  if (c !== 58 || t.charCodeAt(q - 1) === 32) return undefined;
  c = t.charCodeAt(q + 1);
  if (c !== 32 && c !== 10) return undefined;
  r.q = q;
  const slot = (h ^ (h >>> 8)) & 255;
  const known = KEY_TEXT[slot];
  if (known !== undefined && known.length === q - p && t.startsWith(known, p)) {
    return KEY_NAME[slot];
  }
  const text = t.slice(p, q);
  const name = String(resolvePlain(text));
  KEY_TEXT[slot] = text;
  KEY_NAME[slot] = name;
  return name;
}

/** True when the entry at `p` starts a compact mapping (`- key: value`). */
function isKey(t: string, p: number): boolean {
  let c = t.charCodeAt(p);
  if (!(isAlnum(c) || c === 95)) return false;
  do c = t.charCodeAt(++p);
  while (isAlnum(c) || c === 95 || c === 32 || c === 46 || c === 45);
  if (c !== 58) return false;
  c = t.charCodeAt(p + 1);
  // `- a : b` is not one to us: readScalar then refuses the `: `.
  return (c === 32 || c === 10) && t.charCodeAt(p - 1) !== 32;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
}

/** The one-line scalar at `p`, up to the end of its line (comment included), or undefined. */
function readScalar(r: Reader, p: number): unknown {
  const t = r.t;
  const c = t.charCodeAt(p);
  let value: string;
  let q: number;
  if (c === 34 || c === 39) {
    const read = c === 34 ? readDoubleQuoted(r, p + 1) : readSingleQuoted(r, p + 1);
    if (read === undefined) return undefined;
    value = read;
    q = r.q;
    const e = q;
    while (t.charCodeAt(q) === 32) q++;
    if (t.charCodeAt(q) === 35 && q > e) q = skipComment(t, q);
    if (q < 0 || t.charCodeAt(q) !== 10) return undefined; // `"a" b`, `"a": b`, `"a"#`
    r.le = q;
    return value;
  }
  if (!(c >= 33) || (c < 128 && INDICATOR[c] === 1)) return undefined;
  if (c === 45 || c === 63) {
    const n = t.charCodeAt(p + 1);
    if (n === 32 || n === 10 || n === 9) return undefined;
  }
  let last = p;
  for (q = p; ; q++) {
    const ch = t.charCodeAt(q);
    if (ch === 10) break;
    if (ch === 32) continue;
    if (ch === 35 && t.charCodeAt(q - 1) === 32) {
      q = skipComment(t, q);
      if (q < 0) return undefined;
      break;
    }
    if (ch === 58) {
      const n = t.charCodeAt(q + 1);
      if (n === 32 || n === 10 || n === 9) return undefined; // a key, or an error
    } else if (!(ch >= 32) || (ch >= 0x7f && !isPrintable(t, q, ch))) {
      return undefined; // tabs, and what js-yaml rejects as non-printable
    }
    last = q + 1;
  }
  r.le = q;
  return resolvePlain(t.slice(p, last));
}

/** js-yaml's PATTERN_NON_PRINTABLE, negated, for a character at or above 0x7F. */
function isPrintable(t: string, q: number, ch: number): boolean {
  if (ch <= 0x9f) return ch === 0x85;
  if (ch === 0xfffe || ch === 0xffff) return false;
  if (ch >= 0xd800 && ch <= 0xdbff) {
    const n = t.charCodeAt(q + 1);
    return n >= 0xdc00 && n <= 0xdfff;
  }
  if (ch >= 0xdc00 && ch <= 0xdfff) {
    const b = t.charCodeAt(q - 1);
    return b >= 0xd800 && b <= 0xdbff;
  }
  return true;
}

/** A plain scalar as CORE_SCHEMA resolves it: null, bool, int, float, else the string. */
function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Only these can start a null, bool, int or float: skip the resolvers for the rest.
  if (
    !(
      (c >= 48 && c <= 57) ||
      c === 45 || // -
      c === 43 || // +
      c === 46 || // .
      c === 126 || // ~
      (c | 32) === 110 || // n N
      (c | 32) === 116 || // t T
      (c | 32) === 102 // f F
    )
  )
    return s;
  if (c <= 57 && s.length < 16 && isDigits(s)) return Number(s); // as types.int, sooner
  for (const type of IMPLICIT) if (type.resolve(s)) return type.construct(s);
  return s;
}

/** Decimal digits alone: an int (leading zeros and all) that a double holds exactly. */
function isDigits(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A double-quoted scalar's text from `p`, after its `"`; `r.q` past the closing `"`. */
function readDoubleQuoted(r: Reader, p: number): string | undefined {
  const t = r.t;
  const close = t.indexOf('"', p);
  if (close < 0) return undefined;
  if (r.bs < p) {
    r.bs = t.indexOf('\\', p);
    if (r.bs < 0) r.bs = t.length;
  }
  if (r.bs > close) {
    // No escape: the common case, found by indexOf and checked in one tight loop.
    if (hasControl(t, p, close)) return undefined;
    r.q = close + 1;
    return t.slice(p, close);
  }
  let out = '';
  let from = p;
  for (let q = p; ; q++) {
    const c = t.charCodeAt(q);
    if (c === 34) {
      r.q = q + 1;
      return out + t.slice(from, q);
    }
    if (c === 92) {
      out += t.slice(from, q);
      const e = t.charCodeAt(++q);
      const simple = e < 128 ? SIMPLE_ESCAPES[e] : undefined;
      if (simple !== undefined) {
        out += simple;
      } else {
        const len = e === 120 ? 2 : e === 117 ? 4 : e === 85 ? 8 : 0;
        if (len === 0) return undefined; // an unknown escape, or a line fold
        let code = 0;
        for (let k = 0; k < len; k++) {
          const d = hexValue(t.charCodeAt(++q));
          if (d < 0) return undefined;
          code = (code << 4) + d; // the same 32-bit arithmetic as js-yaml, overflow included
        }
        out += charFromCodepoint(code);
      }
      from = q + 1;
    } else if (!(c >= 32) && c !== 9) {
      return undefined; // the line ends (a multi-line scalar), or a control character
    }
  }
}

/** A single-quoted scalar's text from `p`, after its `'`; `r.q` past the closing `'`. */
function readSingleQuoted(r: Reader, p: number): string | undefined {
  const t = r.t;
  let out = '';
  let from = p;
  for (let q = p; ; q++) {
    const c = t.charCodeAt(q);
    if (c === 39) {
      if (t.charCodeAt(q + 1) !== 39) {
        r.q = q + 1;
        return out + t.slice(from, q);
      }
      out += t.slice(from, ++q); // `''` is one quote
      from = q + 1;
    } else if (!(c >= 32) && c !== 9) {
      return undefined;
    }
  }
}

// A line break, or a control character js-yaml refuses in a quoted scalar (all but tab).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\x00-\x08\x0A-\x1F]/;

/** True if `t[from, to)` holds a line break or a control character other than tab. */
function hasControl(t: string, from: number, to: number): boolean {
  // A regex scans several times faster than a charCodeAt loop here.
  return CONTROL.test(t.slice(from, to));
}

// js-yaml's simpleEscapeSequence (YAML 1.2 §5.7), by character code.
const SIMPLE_ESCAPES: (string | undefined)[] = [];
for (const [c, s] of Object.entries({
  '0': '\x00',
  a: '\x07',
  b: '\x08',
  t: '\x09',
  '\t': '\x09',
  n: '\x0A',
  v: '\x0B',
  f: '\x0C',
  r: '\x0D',
  e: '\x1B',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xA0',
  L: '\u2028',
  P: '\u2029',
}))
  SIMPLE_ESCAPES[c.charCodeAt(0)] = s;

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 32;
  return l >= 97 && l <= 102 ? l - 87 : -1;
}

// js-yaml's charFromCodepoint, kept as it is so out-of-range escapes give what it gives.
function charFromCodepoint(c: number): string {
  if (c <= 0xffff) return String.fromCharCode(c);
  return String.fromCharCode(((c - 0x010000) >> 10) + 0xd800, ((c - 0x010000) & 0x03ff) + 0xdc00);
}

/** Index of the `\n` ending the comment at `q`, or -1 for a control character in it. */
function skipComment(t: string, q: number): number {
  for (;;) {
    const c = t.charCodeAt(++q);
    if (c === 10) return q;
    if (!(c >= 32)) return -1; // CR and NUL are a line break and an error to js-yaml
  }
}
