import { isFeedViewPath } from '../../../src/core/document-paths.ts';
import { ManifestShardSchema } from '../../../src/core/manifest.ts';
import { DOCUMENT_TYPES } from '../../../src/core/media-types.ts';
import { contentKey, shardKey } from '../../../src/core/store-keys.ts';
import type { FixtureBuild } from '../../support/provided-context.ts';

/** A document of a build as a test expects it served: bytes, type and validators. */
export type BuildDocument = {
  path: string;
  hash: string;
  body: string;
  contentType: string;
  /** `"<hash>"` */
  etag: string;
  /** IMF-fixdate */
  lastModified: string;
};

/**
 * Every document a build serves byte for byte at its own URL, read from its own shards and
 * values (not from the worker), sorted by path; `views: true` lists the feeds' HTML views
 * instead (served at their feed's URL to browsers' navigations). Not the ActivityPub actors
 * (`{feed}/actor`): the worker puts its public key into them on the way out, which
 * tests/worker/activitypub-inbox.test.ts checks.
 */
export function documentsOf(build: FixtureBuild, { views = false } = {}): BuildDocument[] {
  const values = new Map(build.values);
  const documents: BuildDocument[] = [];
  for (const shard of build.record.shards) {
    const text = values.get(shardKey(shard));
    if (text === undefined) throw new Error(`build ${build.record.buildId} lacks shard ${shard}`);
    for (const [path, [hash, seconds, type]] of Object.entries(
      ManifestShardSchema.parse(JSON.parse(text)).documents,
    )) {
      if (type === 'activity' && path.endsWith('/actor')) continue;
      if (isFeedViewPath(path) !== views) continue;
      const body = values.get(contentKey(hash));
      if (body === undefined) throw new Error(`build lacks the body of ${path}`);
      documents.push({
        path,
        hash,
        body,
        contentType: DOCUMENT_TYPES[type],
        etag: `"${hash}"`,
        lastModified: new Date(seconds * 1000).toUTCString(),
      });
    }
  }
  return documents.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** One document of a build; throws when the build has no such path. */
export function documentOf(build: FixtureBuild, path: string): BuildDocument {
  const document = documentsOf(build).find((candidate) => candidate.path === path);
  if (document === undefined) throw new Error(`build ${build.record.buildId} has no ${path}`);
  return document;
}

/**
 * The bytes a build stored for `path`, whatever it is: for an actor (`{feed}/actor`), the
 * document before the worker puts its public key in (PUBLIC_KEY_PLACEHOLDER).
 */
export function storedTextOf(build: FixtureBuild, path: string): string {
  const values = new Map(build.values);
  for (const shard of build.record.shards) {
    const { documents } = ManifestShardSchema.parse(JSON.parse(values.get(shardKey(shard)) ?? ''));
    const entry = documents[path];
    if (entry !== undefined) {
      const body = values.get(contentKey(entry[0]));
      if (body !== undefined) return body;
    }
  }
  throw new Error(`build ${build.record.buildId} stored no ${path}`);
}
