import type { CachedSeed } from './build-cache.ts';
import type { Section } from './state-file.ts';
import { putStrings } from './string-column.ts';

/**
 * The cache's seed records as columns (state-file.ts): a handful of typed arrays and
 * string columns load many times faster than 100,000 small objects through v8.deserialize;
 * seed-table.ts reads them back, one record when asked for.
 * `providers` is the table of distinct providers the seeds name, as `[domain, name, logo]`.
 */
export function putSeeds(
  sections: Map<string, Section>,
  seeds: ReadonlyMap<string, CachedSeed>,
): [string, string, string | null][] {
  const n = seeds.size;
  const status = new Uint8Array(n);
  const dates = new Float64Array(n);
  const providerOf = new Int32Array(n).fill(-1);
  const text = new Int32Array(2 * n);
  const names: string[] = [];
  const signatures: string[] = [];
  const urls: string[] = [];
  const topicNames: string[] = [];
  const topicLines: string[] = [];
  const problems: string[] = [];
  const contents: string[] = [];
  const providers: [string, string, string | null][] = [];
  const providerIndex = new Map<string, number>();
  let i = 0;
  for (const [name, record] of seeds) {
    names.push(name);
    signatures.push(record.signature);
    let url = '';
    let names_ = '';
    let lines = '';
    let problem = '';
    let content = '';
    if (record.status === 'valid') {
      const { core } = record;
      content = record.content;
      url = core.url;
      dates[i] = core.date;
      const key = `${core.provider.domain}\u0000${core.provider.name}\u0000${core.provider.logo ?? '\u0000'}`;
      let p = providerIndex.get(key);
      if (p === undefined) {
        p = providers.length;
        providers.push([core.provider.domain, core.provider.name, core.provider.logo ?? null]);
        providerIndex.set(key, p);
      }
      providerOf[i] = p;
      // Cleaned topic names hold no line breaks.
      names_ = core.topicNames.join('\n');
      lines = core.topicLines.join(',');
      text[2 * i] = record.text.mojibakeRepaired;
      text[2 * i + 1] = record.text.illegalRemoved;
    } else if (record.status === 'unpublished') status[i] = 1;
    else {
      status[i] = 2;
      problem = JSON.stringify(record.problems);
    }
    urls.push(url);
    topicNames.push(names_);
    topicLines.push(lines);
    problems.push(problem);
    contents.push(content);
    i++;
  }
  sections.set('seeds.status', status);
  sections.set('seeds.dates', dates);
  sections.set('seeds.provider', providerOf);
  sections.set('seeds.text', text);
  putStrings(sections, 'seeds.names', names);
  putStrings(sections, 'seeds.signatures', signatures);
  putStrings(sections, 'seeds.urls', urls);
  putStrings(sections, 'seeds.topicNames', topicNames);
  putStrings(sections, 'seeds.topicLines', topicLines);
  putStrings(sections, 'seeds.problems', problems);
  putStrings(sections, 'seeds.contents', contents);
  return providers;
}
