import type { BundleEntry } from '../../../src/core/document-record.ts';

/** Writes bundle entries into a KV namespace, as `wrangler kv bulk put` would. */
export async function loadBundle(kv: KVNamespace, entries: readonly BundleEntry[]): Promise<void> {
  await Promise.all(
    entries.map((entry) =>
      entry.metadata === undefined
        ? kv.put(entry.key, entry.value)
        : kv.put(entry.key, entry.value, { metadata: entry.metadata }),
    ),
  );
}
