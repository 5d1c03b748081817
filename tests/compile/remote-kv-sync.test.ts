import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BundleEntry } from '../../src/core/document-record.ts';
import { applyKvSync } from '../../src/publish/apply-kv-sync.ts';
import { formatKvSyncPlan } from '../../src/publish/format-kv-sync-plan.ts';
import { parseKvManifest, planKvSync } from '../../src/publish/plan-kv-sync.ts';
import { chunkBySize, createRemoteKvTarget } from '../../src/publish/remote-kv-target.ts';

// Cloudflare is out of reach here: the remote target runs a recording stand-in for
// wrangler, which proves the commands, their order and the chunk files it would get.
function recordingWrangler(stored: string | null) {
  const calls: { args: string[]; file: unknown }[] = [];
  const run = async (args: string[]) => {
    const file = args[2] === 'put' || args[2] === 'delete' ? args[3] : undefined;
    calls.push({
      args,
      file: file === undefined ? undefined : JSON.parse(readFileSync(file, 'utf8')),
    });
    const stdout = args[1] === 'key' ? (stored ?? 'Value not found\n') : '';
    return { code: 0, stdout, stderr: '' };
  };
  return { calls, run };
}

/** The keys a chunk file names: a bulk-delete list of keys, or a bulk-put list of pairs. */
function keysOf(file: unknown): string[] | undefined {
  if (!Array.isArray(file)) return undefined;
  return file.map((item: unknown) =>
    typeof item === 'object' && item !== null ? String(Reflect.get(item, 'key')) : String(item),
  );
}

const feeds: BundleEntry[] = Array.from({ length: 5 }, (_, i) => ({
  key: `doc:/topics/t${i}/rss.xml`,
  value: `<rss>${i}</rss>`,
}));
const bundle: BundleEntry[] = [
  { key: 'doc:/', value: 'index' },
  ...feeds,
  { key: 'meta:build', value: '{}' },
];

describe('remote KV sync', () => {
  it('writes each stage in chunks of at most maxPairs, deletes after, manifest last', async () => {
    const previous = planKvSync(
      [...bundle, { key: 'doc:/old.xml', value: 'x' }],
      undefined,
    ).manifest;
    const wrangler = recordingWrangler(JSON.stringify(previous));
    const target = createRemoteKvTarget({
      run: wrangler.run,
      configPath: 'wrangler.toml',
      binding: 'FEEDS',
      maxPairs: 2,
    });
    const changed = bundle.map((entry) =>
      entry.key === 'doc:/' || entry.key.includes('t1') || entry.key.includes('t4')
        ? { ...entry, value: 'v2' }
        : entry,
    );
    const plan = planKvSync(changed, parseKvManifest(await target.readText('meta:manifest')));
    await applyKvSync(target, plan);

    const summary = wrangler.calls.map(
      (call) =>
        `${call.args.slice(0, 3).join(' ')} ${JSON.stringify(keysOf(call.file) ?? call.args[3])}`,
    );
    expect(summary).toEqual([
      'kv key get "meta:manifest"',
      'kv bulk put ["doc:/topics/t1/rss.xml","doc:/topics/t4/rss.xml"]',
      'kv bulk put ["doc:/"]',
      'kv bulk delete ["doc:/old.xml"]',
      'kv bulk put ["meta:manifest"]',
    ]);
    expect(wrangler.calls[1]?.args).toEqual(
      expect.arrayContaining(['--remote', '--binding', 'FEEDS']),
    );
    expect(wrangler.calls[3]?.args).toContain('--force');
  });

  it('splits a large write by count and by bytes, never leaving a chunk empty', () => {
    const big = Array.from({ length: 25_001 }, (_, i) => ({ key: `doc:/${i}`, value: 'x' }));
    expect(chunkBySize(big, 10_000, Number.POSITIVE_INFINITY).map((chunk) => chunk.length)).toEqual(
      [10_000, 10_000, 5_001],
    );
    const heavy = [
      { key: 'a', value: 'x'.repeat(100) },
      { key: 'b', value: 'y'.repeat(100) },
    ];
    expect(chunkBySize(heavy, 10_000, 150).map((chunk) => chunk.length)).toEqual([1, 1]);
  });

  it('prints a dry-run plan: counts, then writes in order, then deletes', () => {
    const plan = planKvSync(bundle, {
      version: 1,
      fingerprints: { 'doc:/gone.xml': 'x', 'doc:/': 'old' },
    });
    expect(formatKvSyncPlan(plan, 'the FEEDS namespace')).toBe(
      [
        'plan for the FEEDS namespace: 7 to write (6 new, 1 changed), 1 to delete, 0 unchanged',
        '  documents:',
        ...feeds.map((feed) => `    + ${feed.key}`),
        '  site indexes:',
        '    ~ doc:/',
        '  build record:',
        '    + meta:build',
        '  deletes, after every write:',
        '    - doc:/gone.xml',
      ].join('\n'),
    );
  });
});
