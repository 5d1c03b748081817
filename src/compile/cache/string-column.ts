import { type Section, StateFileError } from './state-file.ts';

/**
 * A column of strings as one block of text and each string's length: decoding is one
 * UTF-8 (or UTF-16) decode and a slice per string, where v8.deserialize of 100,000 strings,
 * or of objects holding them, was the slowest part of loading the build cache.
 */
export type StringColumn = {
  /**
   * Every string, joined: Latin-1 when all ASCII (decoded by a copy, the fastest way to a
   * string), UTF-8 when well-formed, else UTF-16LE (lone surrogates survive).
   */
  text: Buffer;
  encoding: 'latin1' | 'utf8' | 'utf16le';
  /** Each string's length in UTF-16 code units (JavaScript's `length`). */
  lengths: Uint32Array;
};

const NOT_ASCII = /[^ -~\t\n\r]/;

/** A UTF-16 code unit of a pair without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function packStrings(strings: readonly string[]): StringColumn {
  const lengths = new Uint32Array(strings.length);
  for (let i = 0; i < strings.length; i++) lengths[i] = (strings[i] as string).length;
  const joined = strings.join('');
  // UTF-8 would turn a lone surrogate (a YAML "\ud800" escape can make one) into U+FFFD and
  // shift every later slice; such a column is kept as UTF-16.
  const encoding = !NOT_ASCII.test(joined)
    ? 'latin1'
    : LONE_SURROGATE.test(joined)
      ? 'utf16le'
      : 'utf8';
  return { text: Buffer.from(joined, encoding), encoding, lengths };
}

export function unpackStrings(column: StringColumn): string[] {
  const joined = column.text.toString(column.encoding);
  const strings: string[] = new Array(column.lengths.length);
  let at = 0;
  for (let i = 0; i < column.lengths.length; i++) {
    const end = at + (column.lengths[i] as number);
    strings[i] = joined.slice(at, end);
    at = end;
  }
  if (at !== joined.length) throw new StateFileError('a string column does not add up');
  return strings;
}

/** Adds a column of strings to a state file's sections, as `<name>.text|len|enc`. */
export function putStrings(
  sections: Map<string, Section>,
  name: string,
  strings: readonly string[],
): void {
  const column = packStrings(strings);
  sections.set(`${name}.text`, column.text);
  sections.set(`${name}.len`, column.lengths);
  sections.set(`${name}.enc`, Uint8Array.of(ENCODINGS.indexOf(column.encoding)));
}

/** The column of strings `putStrings` added, or a StateFileError. */
export function takeStrings(sections: ReadonlyMap<string, Section>, name: string): string[] {
  const text = sections.get(`${name}.text`);
  const lengths = sections.get(`${name}.len`);
  const enc = sections.get(`${name}.enc`);
  if (!(text instanceof Uint8Array) || !(lengths instanceof Uint32Array) || !enc)
    throw new StateFileError(`no ${name} column`);
  const bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  return unpackStrings({ text: bytes, encoding: encodingOf(enc), lengths });
}

/** A column of strings decoded as one string, each sliced from it only when asked for. */
export class StringList {
  readonly #column: StringColumn;
  #joined: string | undefined;
  #starts: Float64Array | undefined;

  constructor(column: StringColumn) {
    this.#column = column;
  }

  get length(): number {
    return this.#column.lengths.length;
  }

  /** String `i`; '' past the end. The column is decoded when first asked for. */
  at(i: number): string {
    if (i < 0 || i >= this.length) return '';
    const starts = this.#starts ?? this.#decode();
    return (this.#joined as string).slice(starts[i], starts[i + 1]);
  }

  #decode(): Float64Array {
    const { text, encoding, lengths } = this.#column;
    this.#joined = text.toString(encoding);
    const starts = new Float64Array(lengths.length + 1);
    let at = 0;
    for (let i = 0; i < lengths.length; i++) {
      starts[i] = at;
      at += lengths[i] as number;
    }
    starts[lengths.length] = at;
    if (at !== this.#joined.length) throw new StateFileError('a string column does not add up');
    this.#starts = starts;
    return starts;
  }
}

/** The column `putStrings` added, decoded lazily. */
export function takeStringList(sections: ReadonlyMap<string, Section>, name: string): StringList {
  const text = sections.get(`${name}.text`);
  const lengths = sections.get(`${name}.len`);
  const enc = sections.get(`${name}.enc`);
  if (!(text instanceof Uint8Array) || !(lengths instanceof Uint32Array) || !enc)
    throw new StateFileError(`no ${name} column`);
  const bytes = Buffer.from(text.buffer, text.byteOffset, text.byteLength);
  return new StringList({ text: bytes, encoding: encodingOf(enc), lengths });
}

const ENCODINGS = ['utf8', 'utf16le', 'latin1'] as const;

function encodingOf(enc: Section): StringColumn['encoding'] {
  const encoding = ENCODINGS[enc[0] ?? -1];
  if (encoding === undefined) throw new StateFileError('a string column of unknown encoding');
  return encoding;
}

/** The column `putStrings` added as its joined bytes, encoding and lengths (for a thread). */
export function takeJoined(
  sections: ReadonlyMap<string, Section>,
  name: string,
): { bytes: Uint8Array; encoding: StringColumn['encoding']; lengths: Uint32Array } {
  const text = sections.get(`${name}.text`);
  const lengths = sections.get(`${name}.len`);
  const enc = sections.get(`${name}.enc`);
  if (!(text instanceof Uint8Array) || !(lengths instanceof Uint32Array) || !enc)
    throw new StateFileError(`no ${name} column`);
  return { bytes: text, encoding: encodingOf(enc), lengths };
}
