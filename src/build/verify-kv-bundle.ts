import { isDeepStrictEqual } from 'node:util';
import type { BundleEntry } from '../core/document-record.ts';
import type { KvBinding } from './local-kv-target.ts';

export type KvMismatch = { key: string; problem: 'missing' | 'value differs' | 'metadata differs' };

/** KV's bulk read takes at most 100 keys per call. */
const BULK_GET_LIMIT = 100;

/**
 * Reads every key of the bundle back and compares value and metadata with what the build
 * produced. It is the proof that a load lost nothing, not a trust in the manifest: a key
 * removed or edited behind the loader's back shows up here.
 */
export async function verifyKvBundle(
  kv: KvBinding,
  bundle: readonly BundleEntry[],
): Promise<KvMismatch[]> {
  const chunks: BundleEntry[][] = [];
  for (let start = 0; start < bundle.length; start += BULK_GET_LIMIT) {
    chunks.push(bundle.slice(start, start + BULK_GET_LIMIT));
  }
  const mismatches: KvMismatch[] = [];
  // Bulk reads are cheap next to puts; a few in flight keep workerd busy without queueing.
  let next = 0;
  const reader = async () => {
    while (next < chunks.length) {
      const chunk = chunks[next] ?? [];
      next += 1;
      const stored = await kv.getWithMetadata(
        chunk.map((entry) => entry.key),
        'text',
      );
      for (const entry of chunk) {
        const found = stored.get(entry.key);
        if (found == null || found.value === null) {
          mismatches.push({ key: entry.key, problem: 'missing' });
        } else if (found.value !== entry.value) {
          mismatches.push({ key: entry.key, problem: 'value differs' });
        } else if (!isDeepStrictEqual(found.metadata ?? undefined, entry.metadata)) {
          mismatches.push({ key: entry.key, problem: 'metadata differs' });
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(4, chunks.length) }, reader));
  return mismatches.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
