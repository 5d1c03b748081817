import { isDeepStrictEqual } from 'node:util';
import type { BundleEntry } from '../core/document-record.ts';
import { type KvBinding, listKvKeys, runPool } from './local-kv-target.ts';

export type KvMismatch = { key: string; problem: 'missing' | 'value differs' | 'metadata differs' };

/** KV's bulk read takes at most 100 keys per call. */
const BULK_GET_LIMIT = 100;

export type VerifyKvBundleOptions = {
  /** Which values to read back in full; every key's presence and metadata is always checked. */
  readValue: (entry: BundleEntry) => boolean;
};

/**
 * Proves the store holds the bundle: every key present with its exact metadata (one
 * listing, ~30k keys/s), and the values `readValue` selects compared byte for byte.
 * The metadata's etag is the SHA-256 of the value and KV stores both in one put, so a
 * matching etag vouches for the value; reading every value back costs ~7 s per 50 MB
 * through the proxy, so only values written now, or without an etag, are read by default.
 */
export async function verifyKvBundle(
  kv: KvBinding,
  bundle: readonly BundleEntry[],
  options: VerifyKvBundleOptions,
): Promise<KvMismatch[]> {
  const stored = new Map<string, unknown>();
  for (const key of await listKvKeys(kv)) stored.set(key.name, key.metadata);
  const mismatches: KvMismatch[] = [];
  const toRead: BundleEntry[] = [];
  for (const entry of bundle) {
    if (!stored.has(entry.key)) mismatches.push({ key: entry.key, problem: 'missing' });
    else if (!isDeepStrictEqual(stored.get(entry.key) ?? undefined, entry.metadata)) {
      mismatches.push({ key: entry.key, problem: 'metadata differs' });
    } else if (options.readValue(entry)) toRead.push(entry);
  }
  const chunks: BundleEntry[][] = [];
  for (let start = 0; start < toRead.length; start += BULK_GET_LIMIT) {
    chunks.push(toRead.slice(start, start + BULK_GET_LIMIT));
  }
  await runPool(chunks, 4, async (chunk) => {
    const values = await kv.getWithMetadata(
      chunk.map((entry) => entry.key),
      'text',
    );
    for (const entry of chunk) {
      const found = values.get(entry.key);
      if (found == null || found.value === null)
        mismatches.push({ key: entry.key, problem: 'missing' });
      else if (found.value !== entry.value)
        mismatches.push({ key: entry.key, problem: 'value differs' });
    }
  });
  return mismatches.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
