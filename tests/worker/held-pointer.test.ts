import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { shardKey } from '../../src/core/store-keys.ts';
import { app } from '../../src/worker/app.ts';
import {
  forgetPointer,
  readPointer,
  refreshPointer,
  resolvePointerSeconds,
} from '../../src/worker/store/read-pointer.ts';
import { forgetShards, readShard } from '../../src/worker/store/read-shard.ts';
import { countKvReads } from './support/count-kv-reads.ts';
import { loadBuild } from './support/load-build.ts';

// What an isolate holds between requests: the pointer for BUILD_POINTER_SECONDS, and every
// manifest shard it has read (immutable, so only evicted). The clock is passed in.

const fixture = inject('fixtureBuild');
const paged = inject('pagedBuild');
const T = Date.UTC(2026, 0, 1);

beforeEach(async () => {
  forgetPointer();
  forgetShards();
  await loadBuild(env.FEEDS, fixture);
});

describe('the pointer, held per isolate', () => {
  it('is read once per hold time, then again', async () => {
    const { namespace, calls } = countKvReads(env.FEEDS);
    const first = await readPointer(namespace, 5, T);
    expect(first).toMatchObject({ state: 'loaded', build: { buildId: fixture.record.buildId } });
    await readPointer(namespace, 5, T + 4_999);
    expect(calls).toEqual(['get meta:current']);
    await readPointer(namespace, 5, T + 5_000);
    expect(calls).toEqual(['get meta:current', 'get meta:current']);
  });

  it('is read on every request when the hold time is 0', async () => {
    const { namespace, calls } = countKvReads(env.FEEDS);
    await readPointer(namespace, 0, T);
    await readPointer(namespace, 0, T);
    expect(calls).toEqual(['get meta:current', 'get meta:current']);
  });

  it('holds a missing pointer too, so an empty namespace is not read on every request', async () => {
    await env.FEEDS.delete('meta:current');
    const { namespace, calls } = countKvReads(env.FEEDS);
    expect(await readPointer(namespace, 5, T)).toEqual({ state: 'missing' });
    expect(await readPointer(namespace, 5, T + 1_000)).toEqual({ state: 'missing' });
    expect(calls).toEqual(['get meta:current']);
  });

  it('is read afresh by refreshPointer, which then holds the new read', async () => {
    const { namespace, calls } = countKvReads(env.FEEDS);
    await readPointer(namespace, 5, T);
    await loadBuild(env.FEEDS, paged);
    const fresh = await refreshPointer(namespace, 5, T + 1);
    expect(fresh).toMatchObject({ build: { buildId: paged.record.buildId } });
    expect(await readPointer(namespace, 5, T + 2)).toBe(fresh);
    expect(calls).toEqual(['get meta:current', 'get meta:current']);
  });

  it('keeps an isolate on its build until the hold time passes or forgetPointer is called', async () => {
    const holding = { ...env, BUILD_POINTER_SECONDS: '3600' };
    const buildOf = async () => {
      const ctx = createExecutionContext();
      const response = await app.request('https://feeds.test/rss.xml', {}, holding, ctx);
      await response.arrayBuffer();
      await waitOnExecutionContext(ctx);
      return response.headers.get('X-Build-Id');
    };
    expect(await buildOf()).toBe(fixture.record.buildId);
    await loadBuild(env.FEEDS, paged);
    expect(await buildOf()).toBe(fixture.record.buildId);
    forgetPointer();
    expect(await buildOf()).toBe(paged.record.buildId);
  });

  it('falls back to 5 seconds when BUILD_POINTER_SECONDS is not a whole number', () => {
    expect(resolvePointerSeconds('30')).toBe(30);
    expect(resolvePointerSeconds('0')).toBe(0);
    for (const value of [undefined, '', '-1', '1.5', 'soon', '9999999']) {
      expect(resolvePointerSeconds(value), String(value)).toBe(5);
    }
  });
});

describe('manifest shards, held per isolate', () => {
  it('reads a shard once, then answers from memory', async () => {
    const [hash = ''] = fixture.record.shards;
    const { namespace, calls } = countKvReads(env.FEEDS);
    const first = await readShard(namespace, hash);
    const again = await readShard(namespace, hash);
    expect(again).toBe(first);
    expect(calls).toEqual([`get ${shardKey(hash)}`]);
  });

  it('holds at most 64 shards, dropping the least recently used', async () => {
    const hashes = Array.from({ length: 65 }, (_, index) =>
      `${'A'.repeat(24)}${index}`.padEnd(27, 'x'),
    );
    await Promise.all(
      hashes.map((hash) => env.FEEDS.put(shardKey(hash), '{"v":1,"documents":{}}')),
    );
    const { namespace, calls } = countKvReads(env.FEEDS);
    const [first = '', second = ''] = hashes;
    for (const hash of hashes.slice(0, 64)) await readShard(namespace, hash);
    await readShard(namespace, first); // now the most recently used
    await readShard(namespace, hashes[64] ?? ''); // evicts the least recently used: `second`
    calls.length = 0;
    await readShard(namespace, first);
    expect(calls).toEqual([]);
    await readShard(namespace, second);
    expect(calls).toEqual([`get ${shardKey(second)}`]);
  });
});
