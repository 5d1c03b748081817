import { describe, expect, it } from 'vitest';
import type { BundleEntry } from '../../src/core/document-record.ts';
import {
  countWrites,
  fingerprintEntry,
  type KvManifest,
  parseKvManifest,
  planKvSync,
} from '../../src/publish/plan-kv-sync.ts';

const meta = (etag: string) => ({
  etag: `"${etag}"`,
  lastModified: 'Tue, 26 Oct 2021 10:29:00 GMT',
  contentType: 'application/rss+xml; charset=utf-8',
});

const bundle: BundleEntry[] = [
  { key: 'doc:/', value: '<html>index</html>', metadata: meta('i') },
  { key: 'doc:/feeds.json', value: '[]', metadata: meta('f') },
  { key: 'doc:/opml.xml', value: '<opml/>', metadata: meta('o') },
  { key: 'doc:/rss.xml', value: '<rss/>', metadata: meta('r') },
  { key: 'doc:/topics/ai/', value: '<html>ai</html>', metadata: meta('p') },
  { key: 'doc:/topics/ai/rss.xml', value: '<rss>ai</rss>', metadata: meta('a') },
  { key: 'meta:build', value: '{"buildId":"1"}' },
];

function manifestOf(entries: BundleEntry[]): KvManifest {
  return planKvSync(entries, undefined).manifest;
}

const writtenKeys = (plan: ReturnType<typeof planKvSync>) =>
  plan.writeStages.map((stage) => stage.map((write) => write.entry.key));

describe('planKvSync', () => {
  it('writes everything into an empty namespace: feeds, then pages, then indexes, then meta:build', () => {
    const plan = planKvSync(bundle, undefined);
    expect(writtenKeys(plan)).toEqual([
      ['doc:/rss.xml', 'doc:/topics/ai/rss.xml'],
      ['doc:/topics/ai/'],
      ['doc:/', 'doc:/feeds.json', 'doc:/opml.xml'],
      ['meta:build'],
    ]);
    expect(plan.deletes).toEqual([]);
    expect(plan.unchanged).toEqual([]);
    expect(plan.writeStages.flat().every((write) => write.reason === 'new')).toBe(true);
    expect(Object.keys(plan.manifest.fingerprints)).toHaveLength(bundle.length);
  });

  it('leaves everything alone when the manifest matches', () => {
    const plan = planKvSync(bundle, manifestOf(bundle));
    expect(countWrites(plan)).toBe(0);
    expect(plan.deletes).toEqual([]);
    expect(plan.unchanged).toHaveLength(bundle.length);
  });

  it('writes only the documents whose value or metadata changed, marked as changed', () => {
    const edited = bundle.map((entry) => {
      if (entry.key === 'doc:/rss.xml') return { ...entry, value: '<rss>new</rss>' };
      if (entry.key === 'doc:/opml.xml') return { ...entry, metadata: meta('o2') };
      return entry;
    });
    const plan = planKvSync(edited, manifestOf(bundle));
    expect(writtenKeys(plan)).toEqual([['doc:/rss.xml'], ['doc:/opml.xml']]);
    expect(plan.writeStages.flat().map((write) => write.reason)).toEqual(['changed', 'changed']);
    expect(plan.unchanged).toHaveLength(bundle.length - 2);
  });

  it('deletes keys the bundle no longer produces, including listed keys the manifest missed', () => {
    const smaller = bundle.filter((entry) => !entry.key.startsWith('doc:/topics/'));
    const plan = planKvSync(smaller, manifestOf(bundle), {
      existingKeys: ['doc:/old.xml', 'meta:manifest', 'doc:/rss.xml'],
    });
    expect(plan.deletes).toEqual(['doc:/old.xml', 'doc:/topics/ai/', 'doc:/topics/ai/rss.xml']);
    expect(countWrites(plan)).toBe(0);
    expect(plan.manifest.fingerprints).not.toHaveProperty('doc:/topics/ai/rss.xml');
  });

  it('treats a key added to the bundle as new and writes it before the index that links to it', () => {
    const grown = [...bundle, { key: 'doc:/topics/ml/rss.xml', value: '<rss>ml</rss>' }];
    const changedIndex = grown.map((entry) =>
      entry.key === 'doc:/' ? { ...entry, value: '<html>index, ml</html>' } : entry,
    );
    const plan = planKvSync(changedIndex, manifestOf(bundle));
    expect(writtenKeys(plan)).toEqual([['doc:/topics/ml/rss.xml'], ['doc:/']]);
    expect(plan.writeStages[0]?.[0]?.reason).toBe('new');
  });

  it('refuses a bundle that holds a key twice or holds the manifest key', () => {
    const first = bundle[0];
    if (first === undefined) throw new Error('fixture');
    expect(() => planKvSync([first, first], undefined)).toThrow(/holds key "doc:\/" twice/);
    expect(() => planKvSync([{ key: 'meta:manifest', value: '{}' }], undefined)).toThrow(
      /must not contain meta:manifest/,
    );
  });
});

describe('fingerprintEntry', () => {
  it('changes with the value and with the metadata, and not otherwise', () => {
    const entry = { key: 'doc:/rss.xml', value: 'a', metadata: meta('x') };
    expect(fingerprintEntry(entry)).toBe(fingerprintEntry({ ...entry }));
    expect(fingerprintEntry(entry)).not.toBe(fingerprintEntry({ ...entry, value: 'b' }));
    expect(fingerprintEntry(entry)).not.toBe(fingerprintEntry({ ...entry, metadata: meta('y') }));
    expect(fingerprintEntry(entry)).not.toBe(fingerprintEntry({ key: entry.key, value: 'a' }));
  });
});

describe('parseKvManifest', () => {
  it('reads a stored manifest and treats a missing or unreadable one as none', () => {
    const manifest = manifestOf(bundle);
    expect(parseKvManifest(JSON.stringify(manifest))).toEqual(manifest);
    expect(parseKvManifest(null)).toBeUndefined();
    expect(parseKvManifest('Value not found')).toBeUndefined();
    expect(parseKvManifest('{"version":2,"fingerprints":{}}')).toBeUndefined();
  });
});
