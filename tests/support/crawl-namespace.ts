// What a reader of the site sees, read straight from a namespace's values the way the worker
// resolves a path: the pointer, the current build, shardIndex → the shard → c:<hash>.
import { expect } from 'vitest';
import { BuildPointerSchema, currentBuild } from '../../src/core/build-record.ts';
import { ManifestShardSchema, shardIndex } from '../../src/core/manifest.ts';
import { contentKey, POINTER_KEY, shardKey } from '../../src/core/store-keys.ts';

/** What GET of one path answers: a document (its manifest entry and body), 404, or broken. */
export type Answer =
  | { status: 200; type: string; lastModified: number; body: string }
  | { status: 404 }
  | { status: 'broken'; missing: string };

export type Crawl = { buildId: string | null; answers: Map<string, Answer> };

/**
 * Requests every path of `paths` as the worker would answer it from these values: no
 * pointer means no build at all; a shard or body the build names but the namespace lacks
 * is `broken` (the worker's BrokenBuildError).
 */
export function crawlNamespace(
  read: (key: string) => Buffer | undefined,
  paths: Iterable<string>,
): Crawl {
  const answers = new Map<string, Answer>();
  const pointerBytes = read(POINTER_KEY);
  if (pointerBytes === undefined) return { buildId: null, answers };
  const pointer = BuildPointerSchema.parse(JSON.parse(pointerBytes.toString('utf8')));
  const build = currentBuild(pointer);
  if (build === undefined) throw new Error('the pointer serves a build it does not keep');
  for (const path of paths) {
    const hash = build.shards[shardIndex(path, build.shards.length)];
    const shardBytes = hash === undefined ? undefined : read(shardKey(hash));
    if (hash === undefined || shardBytes === undefined) {
      answers.set(path, { status: 'broken', missing: shardKey(hash ?? '?') });
      continue;
    }
    const shard = ManifestShardSchema.parse(JSON.parse(shardBytes.toString('utf8')));
    const entry = Object.hasOwn(shard.documents, path) ? shard.documents[path] : undefined;
    if (entry === undefined) {
      answers.set(path, { status: 404 });
      continue;
    }
    const body = read(contentKey(entry[0]));
    answers.set(
      path,
      body === undefined
        ? { status: 'broken', missing: contentKey(entry[0]) }
        : { status: 200, type: entry[2], lastModified: entry[1], body: body.toString('utf8') },
    );
  }
  return { buildId: build.buildId, answers };
}

/** The answers a build gives for `paths`, from its documents (path → type, date, text). */
export function expectedAnswers(
  documents: ReadonlyMap<string, { type: string; lastModified: number; body: string }>,
  paths: Iterable<string>,
): Map<string, Answer> {
  const answers = new Map<string, Answer>();
  for (const path of paths) {
    const doc = documents.get(path);
    answers.set(path, doc === undefined ? { status: 404 } : { status: 200, ...doc });
  }
  return answers;
}

/** Checks that a reader of these values gets exactly `site`'s build on every one of `paths`. */
export function expectServing(
  read: (key: string) => Buffer | undefined,
  paths: ReadonlySet<string>,
  site: {
    buildId: string;
    documents: ReadonlyMap<string, { type: string; lastModified: number; body: string }>;
  },
): void {
  const crawl = crawlNamespace(read, paths);
  expect(crawl.buildId).toBe(site.buildId);
  expect(crawl.answers).toEqual(expectedAnswers(site.documents, paths));
}
