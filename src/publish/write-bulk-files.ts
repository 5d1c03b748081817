import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuildSource } from '../core/build-source.ts';
import { switchPointer } from '../core/kept-builds.ts';
import { chunkPairs } from './bulk-chunks.ts';
import type { KvPair } from './kv-target.ts';
import { pointerBytes } from './read-build-pointer.ts';

/**
 * For loading by hand: every value the build names as `wrangler kv bulk put` files
 * (`values-001.json`…, at most 10,000 pairs and ~32 MiB each, base64 where a value is not
 * UTF-8) and `pointer.json`, the pointer serving this build alone, to write last with
 * `wrangler kv key put meta:current --path`. Returns the files written, in load order.
 */
export async function writeBulkFiles(
  source: BuildSource,
  dir: string,
  now = new Date(),
): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const pairs: KvPair[] = [];
  for (const key of source.keys()) pairs.push({ key, value: await source.readValue(key) });
  const files: string[] = [];
  for (const chunk of chunkPairs(pairs, 10_000, 32 * 2 ** 20)) {
    const file = join(dir, `values-${String(files.length + 1).padStart(3, '0')}.json`);
    writeFileSync(file, chunk.body);
    files.push(file);
  }
  const pointer = join(dir, 'pointer.json');
  writeFileSync(pointer, pointerBytes(switchPointer(undefined, source.record, now)));
  files.push(pointer);
  return files;
}
