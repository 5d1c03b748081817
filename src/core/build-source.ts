import type { BuildRecord } from './build-record.ts';

/**
 * A build ready to publish, wherever it lives (the on-disk store a build wrote, or memory
 * in tests): its record, and the value of every key it names (`c:<hash>`, `m:<hash>`).
 */
export type BuildSource = {
  record: BuildRecord;
  /** Every key the build needs in the namespace: its shards, then its contents. */
  keys(): Iterable<string>;
  /** The stored bytes of a key the build names; throws for any other key, or one not held. */
  readValue(key: string): Promise<Uint8Array>;
  /**
   * False for a key the build names whose bytes are not held here (a `--changed-only`
   * build keeps unchanged bodies only as hashes: the namespace holds them). Absent: all held.
   */
  holds?(key: string): boolean;
};
