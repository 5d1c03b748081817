import type { BuildRecord } from './build-record.ts';

/**
 * A build ready to publish, wherever it lives (the on-disk store a build wrote, or memory
 * in tests): its record, and the value of every key it names (`c:<hash>`, `m:<hash>`).
 */
export type BuildSource = {
  record: BuildRecord;
  /** Every key the build needs in the namespace: its shards, then its contents. */
  keys(): Iterable<string>;
  /** The stored bytes of a key the build names; throws for any other key. */
  readValue(key: string): Promise<Uint8Array>;
};
