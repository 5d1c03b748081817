import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openStoredBuild } from '../src/compile/store/open-stored-build.ts';
import { isArchivePath } from '../src/core/document-paths.ts';
import { type ManifestShard, ManifestShardSchema } from '../src/core/manifest.ts';
import { shardKey } from '../src/core/store-keys.ts';

/** Keeps a build's record aside, to compare the next build with (its values stay stored). */
export function keepBuildFiles(outDir: string, into: string): void {
  const record = JSON.parse(readFileSync(join(outDir, 'build.json'), 'utf8')) as { store: string };
  mkdirSync(into, { recursive: true });
  const kept = { ...record, store: resolve(outDir, record.store) };
  writeFileSync(join(into, 'build.json'), JSON.stringify(kept));
}

/**
 * The KV writes that deploying the build in `after` over the one in `before` needs, as
 * `npm run deploy` makes them: each content value and manifest shard the namespace lacks,
 * then one write of the pointer. Also the values no build names any more (what garbage
 * collection later deletes) and the archive documents that are new (newly sealed pages).
 * The build record kept aside names its store, where its shards and values still are.
 */
export function countKvChanges(
  before: string,
  after: string,
): { kvWrites: number; kvGarbage: number; newlySealed: number } {
  const old = documentsOf(before);
  const now = documentsOf(after);
  let kvWrites = [...now.shards].filter((key) => !old.shards.has(key)).length;
  for (const key of now.values) if (!old.values.has(key)) kvWrites++;
  if (now.buildId !== old.buildId) kvWrites++; // the switch
  let kvGarbage = [...old.shards].filter((key) => !now.shards.has(key)).length;
  for (const key of old.values) if (!now.values.has(key)) kvGarbage++;
  const newlySealed = [...now.paths].filter(
    (path) => isArchivePath(path) && !old.paths.has(path),
  ).length;
  return { kvWrites, kvGarbage, newlySealed };
}

function documentsOf(dir: string) {
  const build = openStoredBuild(dir);
  const shards = new Set(build.record.shards.map(shardKey));
  const values = new Set([...build.keys()].filter((key) => !shards.has(key)));
  const paths = new Set<string>();
  for (const key of shards) {
    const shard: ManifestShard = ManifestShardSchema.parse(
      JSON.parse(build.store.read(key).toString('utf8')),
    );
    for (const path of Object.keys(shard.documents)) paths.add(path);
  }
  build.store.closeFiles();
  return { buildId: build.record.buildId, shards, values, paths };
}
