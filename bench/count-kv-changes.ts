import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isArchivePath } from '../src/core/document-paths.ts';

type Manifest = { buildId: string; documents: Record<string, [string, number, string]> };
type Record_ = { buildId: string; shards: string[] };

/** Keeps a build's manifest and record aside, to compare the next build with. */
export function keepBuildFiles(outDir: string, into: string): void {
  mkdirSync(into, { recursive: true });
  for (const file of ['manifest.json', 'build.json'])
    copyFileSync(join(outDir, file), join(into, file));
}

/**
 * The KV writes that deploying the build in `after` over the one in `before` needs, as
 * `npm run deploy` makes them: each content value and manifest shard the namespace lacks,
 * then one write of the pointer. Also the values no build names any more (what garbage
 * collection later deletes) and the archive documents that are new (newly sealed pages).
 */
export function countKvChanges(
  before: string,
  after: string,
): { kvWrites: number; kvGarbage: number; newlySealed: number } {
  const read = <T>(dir: string, file: string) =>
    JSON.parse(readFileSync(join(dir, file), 'utf8')) as T;
  const old = read<Manifest>(before, 'manifest.json');
  const now = read<Manifest>(after, 'manifest.json');
  const oldShards = new Set(read<Record_>(before, 'build.json').shards);
  const newShards = read<Record_>(after, 'build.json').shards;
  const oldValues = new Set(Object.values(old.documents).map(([hash]) => hash));
  const newValues = new Set(Object.values(now.documents).map(([hash]) => hash));
  let kvWrites = newShards.filter((hash) => !oldShards.has(hash)).length;
  for (const hash of newValues) if (!oldValues.has(hash)) kvWrites++;
  if (now.buildId !== old.buildId) kvWrites++; // the switch
  let kvGarbage = [...oldShards].filter((hash) => !newShards.includes(hash)).length;
  for (const hash of oldValues) if (!newValues.has(hash)) kvGarbage++;
  const newlySealed = Object.keys(now.documents).filter(
    (path) => isArchivePath(path) && !Object.hasOwn(old.documents, path),
  ).length;
  return { kvWrites, kvGarbage, newlySealed };
}
