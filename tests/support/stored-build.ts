import { openStoredBuild } from '../../src/compile/store/open-stored-build.ts';
import type { ManifestEntry, ManifestShard } from '../../src/core/manifest.ts';
import { contentKey, shardKey } from '../../src/core/store-keys.ts';

/** The build `npm run build` wrote to `outDir`: every path, and each document's text. */
export function readStoredBuild(outDir: string): {
  buildId: string;
  paths: string[];
  text: (path: string) => string;
  entry: (path: string) => ManifestEntry;
} {
  // One read of build.json names everything (a watching build may replace it meanwhile).
  const build = openStoredBuild(outDir);
  const documents: Record<string, ManifestEntry> = {};
  for (const hash of build.record.shards) {
    const shard = JSON.parse(build.store.read(shardKey(hash)).toString('utf8')) as ManifestShard;
    Object.assign(documents, shard.documents);
  }
  const entry = (path: string): ManifestEntry => {
    const found = documents[path];
    if (found === undefined) throw new Error(`the build in ${outDir} has no ${path}`);
    return found;
  };
  return {
    buildId: build.record.buildId,
    paths: Object.keys(documents),
    text: (path) => build.store.read(contentKey(entry(path)[0])).toString('utf8'),
    entry,
  };
}

/**
 * Everything a build in `outDir` serves, as one string to compare: each path in order with
 * its type, Last-Modified and text. Two builds serve the same iff their snapshots are equal.
 */
export function snapshotBuild(outDir: string): string {
  const build = readStoredBuild(outDir);
  return build.paths
    .sort()
    .map((path) => {
      const [, lastModified, type] = build.entry(path);
      return `${path} ${type} ${lastModified}\n${build.text(path)}`;
    })
    .join('\n');
}
