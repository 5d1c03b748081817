import type { BundleEntry } from '../core/document-record.ts';

/**
 * Where a sync writes: the local Miniflare store (through a KV binding) or a Cloudflare
 * namespace (through `wrangler kv bulk`). The plan and its order are the same for both.
 */
export type KvSyncTarget = {
  /** The stored manifest's text, or null when the namespace has none. */
  readText(key: string): Promise<string | null>;
  /** Stores every entry before resolving; `onProgress` gets the count stored so far. */
  putEntries(entries: readonly BundleEntry[], onProgress?: (stored: number) => void): Promise<void>;
  deleteKeys(keys: readonly string[]): Promise<void>;
};
