import {
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { type BuildRecord, BuildRecordSchema } from '../../core/build-record.ts';
import { contentKey, shardKey } from '../../core/store-keys.ts';
import { readOwnShard } from './read-own-shard.ts';
import type { ValueStore } from './value-store.ts';

/** Builds whose values the local store keeps (the newest; a deploy may still want them). */
export const KEPT_LOCAL_BUILDS = 5;

/**
 * Records a build in the store (`builds/<id>.json`, newest by modification time) and
 * forgets all but the newest KEPT_LOCAL_BUILDS. When the store holds much more than those
 * builds need (three times the newest build's bytes, or many small packs from a watching
 * build), their values are copied into one pack and the rest is deleted.
 */
export async function keepBuild(
  store: ValueStore,
  record: BuildRecord,
  buildBytes: number,
): Promise<void> {
  const dir = join(store.dir, 'builds');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${record.buildId}.json`);
  writeFileSync(file, `${JSON.stringify(record)}\n`);
  const now = new Date();
  utimesSync(file, now, now);
  const builds = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime || (a.name < b.name ? -1 : 1));
  for (const old of builds.slice(KEPT_LOCAL_BUILDS)) rmSync(join(dir, old.name), { force: true });
  const packs = readdirSync(join(store.dir, 'packs')).filter((n) => n.endsWith('.idx')).length;
  if (packs <= 32 && store.storedBytes() <= 3 * buildBytes) return;
  const live = new Set<string>();
  for (const kept of builds.slice(0, KEPT_LOCAL_BUILDS)) {
    const parsed = BuildRecordSchema.safeParse(
      JSON.parse(readFileSync(join(dir, kept.name), 'utf8')),
    );
    if (!parsed.success) continue;
    for (const key of valuesOf(store, parsed.data)) live.add(key);
  }
  await store.collect(live);
}

/** Every key a build names that the store holds: its shards and their contents. */
export function valuesOf(store: ValueStore, record: BuildRecord): string[] {
  const keys: string[] = [];
  for (const hash of record.shards) {
    const key = shardKey(hash);
    if (!store.has(key)) continue;
    keys.push(key);
    const shard = readOwnShard(store.read(key), hash);
    if (shard === undefined) throw new Error(`${key} in ${store.dir} is not a manifest shard`);
    for (const [hashOf] of Object.values(shard.documents)) keys.push(contentKey(hashOf));
  }
  return keys;
}
