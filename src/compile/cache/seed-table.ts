import type { ArticleCore } from '../../core/published-article.ts';
import type { CachedSeed, SeedRecords } from './build-cache.ts';
import { type Section, StateFileError, takeSection } from './state-file.ts';
import { type StringList, takeStringList, takeStrings } from './string-column.ts';

/**
 * The seed records of a restored snapshot (seed-columns.ts), decoded one by one when asked
 * for: a rebuild after an edit reads a few records of 100,000, and making them all was
 * most of its garbage-collection time. Iterates in listing order; a record set is kept.
 */
export class SeedTable implements SeedRecords {
  readonly #names: string[];
  readonly #index = new Map<string, number>();
  readonly #records: (CachedSeed | undefined)[];
  readonly #status: Uint8Array;
  readonly #dates: Float64Array;
  readonly #providerOf: Int32Array;
  readonly #text: Int32Array;
  readonly #providers: ArticleCore['provider'][];
  readonly #columns: Record<Column, StringList>;

  constructor(
    sections: ReadonlyMap<string, Section>,
    providers: readonly [string, string, string | null][],
  ) {
    this.#names = takeStrings(sections, 'seeds.names');
    for (const [i, name] of this.#names.entries()) this.#index.set(name, i);
    this.#records = new Array(this.#names.length);
    this.#status = takeSection(sections, 'seeds.status', 'u8');
    this.#dates = takeSection(sections, 'seeds.dates', 'f64');
    this.#providerOf = takeSection(sections, 'seeds.provider', 'i32');
    this.#text = takeSection(sections, 'seeds.text', 'i32');
    this.#providers = providers.map(([domain, name, logo]) => ({
      domain,
      name,
      logo: logo ?? undefined,
    }));
    const column = (name: string): StringList => {
      const strings = takeStringList(sections, `seeds.${name}`);
      if (strings.length !== this.#names.length) throw new StateFileError(`seeds.${name} is short`);
      return strings;
    };
    this.#columns = {
      signatures: column('signatures'),
      urls: column('urls'),
      topicNames: column('topicNames'),
      topicLines: column('topicLines'),
      problems: column('problems'),
      contents: column('contents'),
    };
  }

  get size(): number {
    return this.#names.length;
  }

  /** Seed names in listing order. */
  get names(): readonly string[] {
    return this.#names;
  }

  has(name: string): boolean {
    return this.#index.has(name);
  }

  get(name: string): CachedSeed | undefined {
    const i = this.#index.get(name);
    return i === undefined ? undefined : this.at(i);
  }

  /** A record's signature without decoding the record (find-changed-seeds.ts). */
  signatureOf(name: string): string | undefined {
    const i = this.#index.get(name);
    if (i === undefined) return undefined;
    return this.#records[i]?.signature ?? this.#columns.signatures.at(i);
  }

  /** What the groups need of a valid seed: its URL and date (group-columns.ts). */
  urlAt(i: number): string {
    // An edit that took the journal kept its seed's URL and date (recompile-edits.ts).
    return this.#columns.urls.at(i);
  }

  dateAt(i: number): number {
    return this.#dates[i] ?? 0;
  }

  isValidAt(i: number): boolean {
    return this.#status[i] === 0 && i < this.#names.length;
  }

  set(name: string, record: CachedSeed): this {
    const i = this.#index.get(name);
    if (i === undefined) throw new Error(`internal: ${name} is not in the restored seed table`);
    this.#records[i] = record;
    return this;
  }

  at(i: number): CachedSeed {
    const kept = this.#records[i];
    if (kept !== undefined) return kept;
    const record = this.#decode(i);
    this.#records[i] = record;
    return record;
  }

  *entries(): MapIterator<[string, CachedSeed]> {
    for (let i = 0; i < this.#names.length; i++) yield [this.#names[i] as string, this.at(i)];
  }

  keys(): MapIterator<string> {
    return this.#names.values();
  }

  *values(): MapIterator<CachedSeed> {
    for (let i = 0; i < this.#names.length; i++) yield this.at(i);
  }

  [Symbol.iterator](): MapIterator<[string, CachedSeed]> {
    return this.entries();
  }

  forEach(
    each: (record: CachedSeed, name: string, map: ReadonlyMap<string, CachedSeed>) => void,
  ): void {
    for (const [name, record] of this.entries()) each(record, name, this);
  }

  #decode(i: number): CachedSeed {
    const columns = this.#columns;
    const name = this.#names[i] as string;
    const signature = columns.signatures.at(i);
    const status = this.#status[i];
    if (status === 1) return { signature, status: 'unpublished' };
    if (status === 2)
      return { signature, status: 'invalid', problems: JSON.parse(columns.problems.at(i) || '[]') };
    const provider = this.#providers[this.#providerOf[i] ?? -1];
    if (!provider) throw new Error('build cache: a seed without a provider');
    const topicNames = columns.topicNames.at(i);
    const topicLines = columns.topicLines.at(i);
    return {
      signature,
      status: 'valid',
      core: {
        url: columns.urls.at(i),
        file: name,
        date: this.#dates[i] as number,
        provider,
        topicNames: topicNames === '' ? [] : topicNames.split('\n'),
        topicLines: topicLines === '' ? [] : topicLines.split(',').map(Number),
        topics: [],
      },
      text: {
        mojibakeRepaired: this.#text[2 * i] as number,
        illegalRemoved: this.#text[2 * i + 1] as number,
      },
      content: columns.contents.at(i),
    };
  }
}

type Column = 'signatures' | 'urls' | 'topicNames' | 'topicLines' | 'problems' | 'contents';
