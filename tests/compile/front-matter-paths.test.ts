// The fast path (js-yaml) and the careful path (yaml) must read every seed the same way.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeSeedText } from '../../src/compile/seeds/decode-seed-text.ts';
import { parseFrontMatter } from '../../src/compile/seeds/parse-front-matter.ts';
import { parsePlainFrontMatter } from '../../src/compile/seeds/parse-plain-front-matter.ts';
import { haveShared, realCorpusSeeds, repositorySeeds, SHARED } from '../support/seed-corpora.ts';
import { seedText } from '../support/seed-folder.ts';

function bothPaths(bytes: Uint8Array) {
  const decoded = decodeSeedText(bytes);
  if (!decoded.ok) return undefined;
  const careful = parseFrontMatter(decoded.text);
  const fast = parsePlainFrontMatter(decoded.text);
  return { careful, fast, text: decoded.text };
}

function expectSameReading(bytes: Uint8Array): boolean {
  const both = bothPaths(bytes);
  if (!both?.fast) return false;
  expect(both.careful.ok).toBe(true);
  if (!both.careful.ok) return false;
  expect(both.fast.data).toEqual(both.careful.data);
  const topics = both.careful.data.topics;
  const careful = both.careful;
  if (Array.isArray(topics))
    expect(both.fast.topicLines).toEqual(topics.map((_, i) => careful.lineOf(['topics', i])));
  return true;
}

describe('fast and careful front-matter paths', () => {
  it('read the seeds of the project format identically, topic lines included', () => {
    const files = repositorySeeds();
    let fast = 0;
    for (const f of files) if (expectSameReading(readFileSync(f))) fast++;
    expect(fast).toBeGreaterThan(0);
  });

  it('send anchors, aliases, tags and flow-style topics to the careful path', () => {
    for (const extra of ['x: &a 1\ny: *a', 'x: !!str 5', 'z: {a: 1, <<: {b: 2}}']) {
      expect(parsePlainFrontMatter(seedText({ extra }))).toBeUndefined();
    }
    expect(
      parsePlainFrontMatter(seedText().replace(/topics:\n {2}- "AI"/, 'topics: [AI]')),
    ).toBeUndefined();
  });

  it('send YAML errors to the careful path, which reports them', () => {
    expect(parsePlainFrontMatter('---\ntitle: a\ntitle: b\n---\n')).toBeUndefined();
    expect(parsePlainFrontMatter('---\ntitle: [oops\n---\n')).toBeUndefined();
  });

  if (!haveShared) console.log(`skipping the real-corpus comparison: ${SHARED} is not here`);
  it.skipIf(!haveShared)('read every seed of the real corpora identically', () => {
    let fast = 0;
    const files = realCorpusSeeds();
    for (const f of files) if (expectSameReading(readFileSync(f))) fast++;
    expect(fast / files.length).toBeGreaterThan(0.9);
  });
});
