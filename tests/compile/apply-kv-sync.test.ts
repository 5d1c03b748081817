import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { getPlatformProxy } from 'wrangler';
import type { BundleEntry } from '../../src/core/document-record.ts';
import { applyKvSync } from '../../src/publish/apply-kv-sync.ts';
import type { KvSyncTarget } from '../../src/publish/kv-sync-target.ts';
import { type LoadLocalKvOptions, loadLocalKv } from '../../src/publish/load-local-kv.ts';
import { isKvBinding, type KvBinding } from '../../src/publish/local-kv-target.ts';
import { planKvSync } from '../../src/publish/plan-kv-sync.ts';

// The loader runs against Miniflare's real KV store through wrangler's getPlatformProxy,
// the path `npm start` takes, persisted to a throwaway folder instead of .wrangler/state.
const persistTo = mkdtempSync(join(tmpdir(), 'edgefeed-kv-'));
afterAll(() => rmSync(persistTo, { recursive: true, force: true }));
const options: LoadLocalKvOptions = { configPath: 'wrangler.toml', binding: 'FEEDS', persistTo };

const meta = (etag: string) => ({
  etag: `"${etag}"`,
  lastModified: 'Tue, 26 Oct 2021 10:29:00 GMT',
  contentType: 'application/rss+xml; charset=utf-8',
});
const feeds = Array.from({ length: 30 }, (_, i) => ({
  key: `doc:/topics/t${String(i).padStart(2, '0')}/rss.xml`,
  value: `<rss>${i}</rss>`,
  metadata: meta(`t${i}`),
}));
const bundle: BundleEntry[] = [
  { key: 'doc:/', value: '<html>index</html>', metadata: meta('i') },
  { key: 'doc:/rss.xml', value: '<rss>site</rss>', metadata: meta('s') },
  ...feeds,
  { key: 'meta:build', value: '{"buildId":"1"}' },
];

async function withKv<T>(use: (kv: KvBinding) => Promise<T>): Promise<T> {
  const proxy = await getPlatformProxy({
    configPath: 'wrangler.toml',
    persist: { path: persistTo },
  });
  try {
    const kv = proxy.env.FEEDS;
    if (!isKvBinding(kv)) throw new Error('no FEEDS binding');
    return await use(kv);
  } finally {
    await proxy.dispose();
  }
}

describe('loadLocalKv against Miniflare KV', { timeout: 30_000 }, () => {
  it('writes every key of a first load and reads each one back', async () => {
    const result = await loadLocalKv(bundle, options);
    expect(result).toMatchObject({
      written: 33,
      deleted: 0,
      unchanged: 0,
      verified: 33,
      repaired: 0,
    });
    const stored = await withKv((kv) => kv.getWithMetadata(['doc:/rss.xml'], 'text'));
    expect(stored.get('doc:/rss.xml')).toEqual({ value: '<rss>site</rss>', metadata: meta('s') });
  });

  it('writes nothing on a second load of the same bundle', async () => {
    const result = await loadLocalKv(bundle, options);
    expect(result).toMatchObject({ written: 0, deleted: 0, unchanged: 33, verified: 33 });
  });

  it('after one edit and one removal, writes one key and deletes one', async () => {
    const next = bundle
      .filter((entry) => entry.key !== 'doc:/topics/t29/rss.xml')
      .map((entry) =>
        entry.key === 'doc:/rss.xml' ? { ...entry, value: '<rss>v2</rss>' } : entry,
      );
    const result = await loadLocalKv(next, options);
    expect(result).toMatchObject({ written: 1, deleted: 1, unchanged: 31, verified: 32 });
    const gone = await withKv((kv) => kv.get('doc:/topics/t29/rss.xml', 'text'));
    expect(gone).toBeNull();
  });

  it('repairs a key changed or deleted behind the manifest, and deletes unknown keys', async () => {
    await withKv(async (kv) => {
      await kv.delete('doc:/topics/t03/rss.xml');
      await kv.put('doc:/topics/t04/rss.xml', 'tampered', { metadata: meta('t4') });
      await kv.put('doc:/stray.xml', 'stray');
    });
    const next = bundle.filter((entry) => entry.key !== 'doc:/topics/t29/rss.xml');
    const result = await loadLocalKv(next, { ...options, verifyAllValues: true });
    // doc:/rss.xml changed back; t03/t04 are vouched for by the manifest but wrong in the store.
    expect(result).toMatchObject({ written: 1, deleted: 1, repaired: 2, verified: 32 });
    const values = await withKv((kv) =>
      kv.getWithMetadata(
        ['doc:/topics/t03/rss.xml', 'doc:/topics/t04/rss.xml', 'doc:/stray.xml'],
        'text',
      ),
    );
    expect(values.get('doc:/topics/t03/rss.xml')?.value).toBe('<rss>3</rss>');
    expect(values.get('doc:/topics/t04/rss.xml')?.value).toBe('<rss>4</rss>');
    expect(values.get('doc:/stray.xml')?.value ?? null).toBeNull();
  });
});

describe('loadLocalKv default verification', { timeout: 30_000 }, () => {
  it('finds a key whose metadata was changed behind the manifest without reading every value', async () => {
    await withKv((kv) =>
      kv.put('doc:/topics/t05/rss.xml', 'tampered', { metadata: meta('other') }),
    );
    const next = bundle.filter((entry) => entry.key !== 'doc:/topics/t29/rss.xml');
    const result = await loadLocalKv(next, options);
    expect(result).toMatchObject({ written: 0, deleted: 0, repaired: 1, verified: 32 });
    const value = await withKv((kv) => kv.get('doc:/topics/t05/rss.xml', 'text'));
    expect(value).toBe('<rss>5</rss>');
  });
});

describe('applyKvSync', () => {
  it('finishes each stage before the next, deletes after all writes, and writes the manifest last', async () => {
    const calls: string[] = [];
    const target: KvSyncTarget = {
      readText: async () => null,
      putEntries: async (entries) => {
        calls.push(`put ${entries.map((entry) => entry.key).join(',')}`);
      },
      deleteKeys: async (keys) => {
        calls.push(`delete ${keys.join(',')}`);
      },
    };
    const plan = planKvSync(
      [
        { key: 'doc:/', value: 'i' },
        { key: 'doc:/a/rss.xml', value: 'a' },
        { key: 'meta:build', value: 'b' },
      ],
      { version: 1, fingerprints: { 'doc:/old.xml': 'x' } },
    );
    const counts = await applyKvSync(target, plan);
    expect(calls).toEqual([
      'put doc:/a/rss.xml',
      'put doc:/',
      'put meta:build',
      'delete doc:/old.xml',
      'put meta:manifest',
    ]);
    expect(counts).toEqual({ written: 3, deleted: 1, unchanged: 0 });
  });
});
