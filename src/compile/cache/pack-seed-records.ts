import type { ArticleCore } from '../../core/published-article.ts';
import type { CachedSeed } from './build-cache.ts';

/**
 * The cache's seed records as a few flat arrays: v8.serialize and deserialize handle a
 * handful of long arrays of strings and numbers many times faster than 100,000 small
 * objects, which made loading and saving the cache the slowest part of a rebuild.
 */
export type PackedSeeds = {
  names: string[];
  signatures: string[];
  /** 0 valid, 1 unpublished, 2 invalid. */
  status: Uint8Array;
  urls: string[];
  dates: Float64Array;
  /** Distinct providers as JSON `[domain, name, logo]`, and each seed's index into them. */
  providers: string[];
  providerOf: Int32Array;
  /** Topic names joined by "\n" (cleaned names hold no line breaks), and their lines. */
  topicNames: string[];
  topicLines: string[];
  /** mojibakeRepaired, illegalRemoved per seed. */
  text: Int32Array;
  /** JSON of an invalid seed's problems; '' otherwise. */
  problems: string[];
  /** A valid seed's content digest; '' otherwise. */
  contents: string[];
};

export function packSeeds(seeds: Map<string, CachedSeed>): PackedSeeds {
  const n = seeds.size;
  const packed: PackedSeeds = {
    names: [],
    signatures: [],
    status: new Uint8Array(n),
    urls: [],
    dates: new Float64Array(n),
    providers: [],
    providerOf: new Int32Array(n).fill(-1),
    topicNames: [],
    topicLines: [],
    text: new Int32Array(2 * n),
    problems: [],
    contents: [],
  };
  const providerIndex = new Map<string, number>();
  let i = 0;
  for (const [name, record] of seeds) {
    packed.names.push(name);
    packed.signatures.push(record.signature);
    let url = '';
    let topicNames = '';
    let topicLines = '';
    let problems = '';
    let content = '';
    if (record.status === 'valid') {
      content = record.content;
      const { core } = record;
      url = core.url;
      packed.dates[i] = core.date;
      const key = JSON.stringify([
        core.provider.domain,
        core.provider.name,
        core.provider.logo ?? null,
      ]);
      let p = providerIndex.get(key);
      if (p === undefined) {
        p = packed.providers.length;
        packed.providers.push(key);
        providerIndex.set(key, p);
      }
      packed.providerOf[i] = p;
      topicNames = core.topicNames.join('\n');
      topicLines = core.topicLines.join(',');
      packed.text[2 * i] = record.text.mojibakeRepaired;
      packed.text[2 * i + 1] = record.text.illegalRemoved;
    } else if (record.status === 'unpublished') packed.status[i] = 1;
    else {
      packed.status[i] = 2;
      problems = JSON.stringify(record.problems);
    }
    packed.urls.push(url);
    packed.topicNames.push(topicNames);
    packed.topicLines.push(topicLines);
    packed.problems.push(problems);
    packed.contents.push(content);
    i++;
  }
  return packed;
}

export function unpackSeeds(packed: PackedSeeds): Map<string, CachedSeed> {
  const providers = packed.providers.map((json) => {
    const [domain, name, logo] = JSON.parse(json) as [string, string, string | null];
    return { domain, name, logo: logo ?? undefined };
  });
  const seeds = new Map<string, CachedSeed>();
  packed.names.forEach((name, i) => {
    const signature = packed.signatures[i] ?? '';
    const status = packed.status[i];
    if (status === 1) seeds.set(name, { signature, status: 'unpublished' });
    else if (status === 2) {
      seeds.set(name, {
        signature,
        status: 'invalid',
        problems: JSON.parse(packed.problems[i] ?? '[]'),
      });
    } else {
      const provider = providers[packed.providerOf[i] ?? -1];
      if (!provider) throw new Error('build cache: a seed without a provider');
      const names = packed.topicNames[i] ?? '';
      const lines = packed.topicLines[i] ?? '';
      const core: ArticleCore = {
        url: packed.urls[i] ?? '',
        file: name,
        date: packed.dates[i] ?? 0,
        provider,
        topicNames: names === '' ? [] : names.split('\n'),
        topicLines: lines === '' ? [] : lines.split(',').map(Number),
        topics: [],
      };
      const text = {
        mojibakeRepaired: packed.text[2 * i] ?? 0,
        illegalRemoved: packed.text[2 * i + 1] ?? 0,
      };
      seeds.set(name, {
        signature,
        status: 'valid',
        core,
        text,
        content: packed.contents[i] ?? '',
      });
    }
  });
  return seeds;
}
