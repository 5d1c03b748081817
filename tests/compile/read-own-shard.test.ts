import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/compile/store/content-hash.ts';
import { readOwnShard } from '../../src/compile/store/read-own-shard.ts';
import { serializeShard } from '../../src/core/manifest.ts';

const HASH = 'abcdefghijklmnopqrstuvwxyz0';
const shard = serializeShard([['/rss.xml', [HASH, 1_700_000_000, 'rss']]]);
const bytes = (text: string) => new TextEncoder().encode(text);

describe('a manifest shard read from its content address', () => {
  it('is the shard its bytes say when they hash to the address', () => {
    expect(readOwnShard(bytes(shard), contentHash(shard))?.documents['/rss.xml']).toEqual([
      HASH,
      1_700_000_000,
      'rss',
    ]);
  });

  it('is checked against the schema when they do not, and taken only if it passes', () => {
    // A value changed behind our back: well-formed, under another address.
    expect(readOwnShard(bytes(shard), contentHash('something else'))).toBeDefined();
    const wrong = JSON.stringify({ v: 1, documents: { '/rss.xml': ['short', -1, 'rss'] } });
    expect(readOwnShard(bytes(wrong), contentHash('something else'))).toBeUndefined();
    expect(readOwnShard(bytes('{"v":2}'), contentHash('something else'))).toBeUndefined();
  });

  it('is none at all when the bytes are not JSON, whatever they hash to', () => {
    expect(readOwnShard(bytes('{"v":1,'), contentHash('{"v":1,'))).toBeUndefined();
  });
});
