import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { BuildRecordSchema } from '../../core/build-record.ts';
import type { BuildSource } from '../../core/build-source.ts';
import { CONTENT_PREFIX, shardKey } from '../../core/store-keys.ts';
import { valuesOf } from './keep-build.ts';
import { ValueStore } from './value-store.ts';
import { BUILD_FILE } from './write-build.ts';

const BuildFileSchema = z.object({ ...BuildRecordSchema.shape, store: z.string() });

/**
 * The build `npm run build` last wrote to `outDir`, as a source to publish: its record
 * (`<out>/build.json`) and every value it names, read from the store beside it. Throws one
 * line naming the file when there is no build, or when the store lacks a value it names;
 * with `partial` (a `--changed-only` build), only when it lacks a manifest shard.
 */
export function openStoredBuild(
  outDir: string,
  options: { partial?: boolean } = {},
): BuildSource & { store: ValueStore } {
  const file = join(outDir, BUILD_FILE);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new Error(`${file}: no build here (${code}); run the build first`);
  }
  const parsed = BuildFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${file}: not a build record of this edgefeed`);
  const { store: storeDir, ...record } = parsed.data;
  // Read only: `build --watch` may be writing its next pack to this store right now.
  const store = ValueStore.openToRead(resolve(outDir, storeDir));
  const named = new Set(valuesOf(store, record));
  for (const hash of record.shards) named.add(shardKey(hash));
  const missing = [...named].filter(
    (key) => !store.has(key) && (options.partial !== true || !key.startsWith(CONTENT_PREFIX)),
  );
  if (missing.length > 0) {
    throw new Error(
      `${file}: the store in ${store.dir} lacks ${missing.length} values this build names (${missing.slice(0, 3).join(', ')}…); build again`,
    );
  }
  return {
    record,
    store,
    keys: () => named.values(),
    holds: (key) => store.has(key),
    readValue: async (key) => {
      if (!named.has(key)) throw new Error(`build ${record.buildId} names no value ${key}`);
      return store.read(key);
    },
  };
}
