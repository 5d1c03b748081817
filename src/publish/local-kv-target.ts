import type { BundleEntry } from '../core/document-record.ts';
import type { KvSyncTarget } from './kv-sync-target.ts';

/** The part of a Workers KV binding the loader uses (see workers-types' KVNamespace). */
export type KvBinding = {
  get(key: string, type: 'text'): Promise<string | null>;
  getWithMetadata(
    keys: string[],
    type: 'text',
    // A missing key maps to null, not to an entry with a null value.
  ): Promise<Map<string, { value: string | null; metadata: unknown } | null>>;
  put(key: string, value: string, options?: { metadata?: unknown }): Promise<void>;
  delete(key: string): Promise<void>;
  list(options?: { cursor?: string; limit?: number }): Promise<{
    keys: { name: string; metadata?: unknown }[];
    list_complete: boolean;
    cursor?: string;
  }>;
};

/** True when a binding offers the KV methods the loader calls (a missing binding is not). */
export function isKvBinding(value: unknown): value is KvBinding {
  if (typeof value !== 'object' || value === null) return false;
  const methods = ['get', 'getWithMetadata', 'put', 'delete', 'list'] as const;
  return methods.every((name) => typeof Reflect.get(value, name) === 'function');
}

export type LocalKvTargetOptions = {
  /**
   * Puts in flight at once. Each put is a round trip into workerd; measured here, a few
   * in flight already reach the store's rate (~450 puts/s), more only queue.
   */
  concurrency?: number;
};

/** A sync target over a KV binding, e.g. getPlatformProxy's `env.FEEDS`. */
export function createLocalKvTarget(
  kv: KvBinding,
  options: LocalKvTargetOptions = {},
): KvSyncTarget {
  const concurrency = options.concurrency ?? 8;
  return {
    readText: (key) => kv.get(key, 'text'),
    async putEntries(entries, onProgress) {
      let stored = 0;
      await runPool(entries, concurrency, async (entry) => {
        await kv.put(entry.key, entry.value, entryOptions(entry));
        stored += 1;
        onProgress?.(stored);
      });
    },
    async deleteKeys(keys) {
      await runPool(keys, concurrency, (key) => kv.delete(key));
    },
  };
}

function entryOptions(entry: BundleEntry): { metadata?: unknown } {
  return entry.metadata === undefined ? {} : { metadata: entry.metadata };
}

/** Every key in the namespace with its metadata (listing returns both, 1,000 a call). */
export async function listKvKeys(kv: KvBinding): Promise<{ name: string; metadata?: unknown }[]> {
  const names: { name: string; metadata?: unknown }[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await kv.list(cursor === undefined ? { limit: 1000 } : { limit: 1000, cursor });
    names.push(...page.keys);
    if (page.list_complete || page.cursor === undefined) return names;
    cursor = page.cursor;
  }
}

/** Runs `task` over `items` with at most `limit` in flight; the first failure rejects. */
export async function runPool<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next];
      next += 1;
      if (item !== undefined) await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
