/** A key and the exact bytes to store under it. */
export type KvPair = { key: string; value: Uint8Array };

/** Requests made so far, and how many of them were retries. */
export type RequestStats = { requests: number; retries: number };

/**
 * A KV namespace a build is published to: Cloudflare's (REST API) or the local store that
 * `wrangler dev` serves (Miniflare, through wrangler's platform proxy). Writes report a
 * per-key outcome, because Cloudflare's bulk endpoints do (`unsuccessful_keys`): a failed
 * key is the caller's to retry, never silently skipped.
 */
export type KvTarget = {
  /** What and where, for messages: `namespace 0f2a… (Cloudflare)`, `the local store in X`. */
  readonly name: string;
  /** Throws a PublishError before anything is written when the namespace cannot be used. */
  check(): Promise<void>;
  /** One page of key names starting with `prefix`; `cursor` is absent on the last page. */
  listKeys(prefix: string, cursor?: string): Promise<{ keys: string[]; cursor?: string }>;
  /** The value's bytes, or null when the key does not exist. */
  get(key: string): Promise<Uint8Array | null>;
  /**
   * Many text values at once (Cloudflare's `bulk/get`, 100 keys a request): each key's bytes,
   * or null when it does not exist. Only for values that are UTF-8 text, as the API requires.
   */
  readMany(keys: readonly string[]): Promise<Map<string, Uint8Array | null>>;
  /** Stores one value (the pointer): one request, retried until it is known to be stored. */
  put(key: string, value: Uint8Array): Promise<void>;
  /** Stores many values; resolves with the keys that were not stored. */
  putMany(pairs: readonly KvPair[]): Promise<{ failed: string[] }>;
  /** Deletes many keys; resolves with the keys that were not deleted. */
  deleteMany(keys: readonly string[]): Promise<{ failed: string[] }>;
  stats(): RequestStats;
  close(): Promise<void>;
};

/** Every key name under `prefix`, following cursors to the end. */
export async function listAllKeys(target: KvTarget, prefix: string): Promise<Set<string>> {
  const names = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await target.listKeys(prefix, cursor);
    for (const key of page.keys) names.add(key);
    cursor = page.cursor;
  } while (cursor !== undefined);
  return names;
}
