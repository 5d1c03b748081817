import type { BigIntStats } from 'node:fs';

/**
 * What the build cache compares to decide a seed is unchanged without reading it: size,
 * modification and change times in nanoseconds, and inode (the test git's index uses).
 * An edit that keeps all four is not possible through normal writes; `--cache-dir` can be
 * deleted at any time to force a full build.
 */
export function seedSignature(info: BigIntStats): string {
  return `${info.size}:${info.mtimeNs}:${info.ctimeNs}:${info.ino}`;
}
