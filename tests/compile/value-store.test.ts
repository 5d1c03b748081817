import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildSite } from '../../src/compile/build-site.ts';
import { openStoredBuild } from '../../src/compile/store/open-stored-build.ts';
import { ValueStore } from '../../src/compile/store/value-store.ts';
import { buildOptions } from '../support/build-options.ts';
import { seedText, writeSeedFolder } from '../support/seed-folder.ts';

const fresh = () => mkdtempSync(join(tmpdir(), 'edgefeed-store-'));
const packsIn = (dir: string) => readdirSync(join(dir, 'packs')).sort();

describe('the value store', () => {
  it('stores each key once, and a reopened store reads what was committed', async () => {
    const dir = fresh();
    const store = ValueStore.open(dir);
    const writer = store.begin();
    expect(writer.add('c:a', Buffer.from('alpha'))).toBe(true);
    expect(writer.add('c:a', Buffer.from('alpha'))).toBe(false);
    writer.add('c:b', Buffer.from('beta'));
    await writer.commit();
    const again = store.begin();
    expect(again.add('c:a', Buffer.from('alpha'))).toBe(false);
    await again.commit();
    expect(packsIn(dir)).toHaveLength(2); // one pack and its index; nothing for `again`
    const reopened = ValueStore.open(dir);
    expect(reopened.read('c:b').toString()).toBe('beta');
    expect(() => reopened.read('c:z')).toThrow(/has no value c:z/);
  });

  it('ignores and removes a pack that was never indexed (an interrupted build)', async () => {
    const dir = fresh();
    ValueStore.open(dir);
    writeFileSync(join(dir, 'packs', 'interrupted.pack'), 'half a build');
    const store = ValueStore.open(dir);
    expect(store.size).toBe(0);
    expect(packsIn(dir)).toEqual([]);
  });

  it('keeps a committed pack when the build fails after committing', async () => {
    const dir = fresh();
    const store = ValueStore.open(dir);
    const writer = store.begin();
    writer.add('c:a', Buffer.from('alpha'));
    await writer.commit();
    await writer.abandon();
    expect(ValueStore.open(dir).read('c:a').toString()).toBe('alpha');
  });

  it('drops a pack that is mostly garbage, and still reads the live values in the same process', async () => {
    const dir = fresh();
    const store = ValueStore.open(dir);
    for (const [key, text] of [
      ['c:a', 'alpha'],
      ['c:b', 'beta'.repeat(100)],
      ['c:c', 'gamma'],
    ]) {
      const writer = store.begin();
      writer.add(key as string, Buffer.from(text as string));
      await writer.commit();
    }
    const reader = ValueStore.open(dir); // another process's view, opened before
    expect(await store.collect(new Set(['c:a', 'c:c']))).toEqual({ removed: 1, kept: 2 });
    // Only b's pack was garbage: it goes, and a's and c's packs stay as they were.
    expect(packsIn(dir)).toHaveLength(4);
    expect(store.read('c:a').toString()).toBe('alpha');
    expect(store.has('c:b')).toBe(false);
    // The reader's packs are gone; it finds the values in the new pack.
    expect(reader.read('c:c').toString()).toBe('gamma');
  });

  it('merges many small packs into one and leaves the big pack alone', async () => {
    const dir = fresh();
    const store = ValueStore.open(dir);
    const big = store.begin();
    big.add('c:big', Buffer.alloc(64 * 1024, 1));
    await big.commit();
    const bigPack = packsIn(dir).find((n) => n.endsWith('.pack')) as string;
    const bigInode = statSync(join(dir, 'packs', bigPack)).ino;
    const live = new Set(['c:big']);
    for (let i = 0; i < 40; i++) {
      const writer = store.begin();
      writer.add(`c:small${i}`, Buffer.from(`small value ${i}`.repeat(10)));
      await writer.commit();
      if (i % 4 !== 0) live.add(`c:small${i}`); // a quarter of them is garbage
    }
    expect(packsIn(dir)).toHaveLength(82);
    expect(await store.collect(live)).toEqual({ removed: 10, kept: 31 });
    // The big pack is untouched; 40 small ones became one.
    expect(packsIn(dir)).toHaveLength(4);
    expect(statSync(join(dir, 'packs', bigPack)).ino).toBe(bigInode);
    const reopened = ValueStore.open(dir);
    for (const key of live) expect(reopened.has(key)).toBe(true);
    expect(reopened.read('c:small39').toString()).toBe('small value 39'.repeat(10));
    expect(reopened.has('c:small0')).toBe(false);
    // Nothing more is worth rewriting.
    expect(await store.collect(live)).toBeUndefined();
  });

  it('lets a reader open a finished build while a watching build writes its next pack', async () => {
    const seeds = await writeSeedFolder({ 'a.md': seedText({ url: 'https://a.example/1' }) });
    const options = buildOptions(seeds, { cacheDir: join(seeds, '.cache') });
    await buildSite(options);
    // The watching build's store, with a pack begun and not yet indexed...
    const store = ValueStore.open(join(options.outDir, 'store'));
    const writer = store.begin();
    writer.add('c:next', Buffer.from('the next build'));
    // ...while another process (npm start, deploy, a test) reads the build it finished.
    expect([...openStoredBuild(options.outDir).keys()].length).toBeGreaterThan(0);
    await writer.commit();
    expect(store.read('c:next').toString()).toBe('the next build');
    expect(ValueStore.open(join(options.outDir, 'store')).read('c:next').toString()).toBe(
      'the next build',
    );
  });
});
