/** A stored value as Cloudflare KV keeps it: bytes, optional metadata and expiration. */
export type StoredValue = { value: Buffer; metadata?: unknown; expiration?: number };

/** One namespace: keys in the byte order KV lists them in. */
export class KvNamespace {
  readonly id: string;
  readonly title: string;
  readonly values = new Map<string, StoredValue>();

  constructor(id: string, title: string) {
    this.id = id;
    this.title = title;
  }

  /**
   * One page of keys after `cursor` (KV's list: lexicographic by UTF-8 bytes, `limit`
   * between 10 and 1000, an opaque cursor, empty on the last page).
   */
  list(prefix: string, limit: number, cursor: string | undefined) {
    const after = cursor ? Buffer.from(cursor, 'base64url').toString('utf8') : undefined;
    const names = [...this.values.keys()]
      .filter((key) => key.startsWith(prefix) && (after === undefined || compare(key, after) > 0))
      .sort(compare);
    const page = names.slice(0, limit);
    const more = names.length > limit;
    const last = page.at(-1);
    return {
      keys: page.map((name) => {
        const stored = this.values.get(name);
        return {
          name,
          ...(stored?.metadata === undefined ? {} : { metadata: stored.metadata }),
          ...(stored?.expiration === undefined ? {} : { expiration: stored.expiration }),
        };
      }),
      cursor: more && last !== undefined ? Buffer.from(last).toString('base64url') : '',
    };
  }

  /** A copy of every value, to restore the namespace to this moment. */
  snapshot(): Map<string, StoredValue> {
    return new Map(this.values);
  }

  restore(snapshot: ReadonlyMap<string, StoredValue>): void {
    this.values.clear();
    for (const [key, value] of snapshot) this.values.set(key, value);
  }
}

function compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
