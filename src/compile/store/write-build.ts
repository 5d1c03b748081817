import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BuildRecord } from '../../core/build-record.ts';
import type { ManifestEntry } from '../../core/manifest.ts';
import { contentKey } from '../../core/store-keys.ts';
import type { CachedDocument } from '../cache/build-cache.ts';
import type { DocumentJob } from '../render/plan-documents.ts';
import { type AssembledBuild, assembleBuild, type BuildFacts } from './assemble-build.ts';
import { checkValueSize } from './check-value-size.ts';
import { CONTENT_HASH_LENGTH } from './content-hash.ts';
import { keepBuild } from './keep-build.ts';
import { ThreadedDocumentWriter } from './threaded-document-writer.ts';
import type { ValueStore } from './value-store.ts';

/** Below this many documents to render, a writer thread costs more than it saves. */
const THREAD_THRESHOLD = 500;

/** `<out>/build.json`: the build's record, and where its values are (relative to out). */
export const BUILD_FILE = 'build.json';

export type WrittenBuild = {
  record: BuildRecord;
  /** Every path of the build, with its content hash, date and type. */
  manifest: Map<string, ManifestEntry>;
  /** Every document of the build, by path, for the next build's cache. */
  documents: Map<string, CachedDocument>;
  rendered: number;
  reused: number;
  /** UTF-8 bytes of every document of the build. */
  bytes: number;
  /** Values this build added to the store, and their bytes. */
  added: { values: number; bytes: number };
  /** Paths of the documents rendered (the rest kept the last build's bytes). */
  renderedPaths: string[];
  /** What the next build in this process may start from (see LastWrite). */
  last: LastWrite;
};

/**
 * What a watching build keeps of the build it wrote last, so the next costs what changed:
 * a job that is the very same object as last time (replanEdited keeps them) has the same
 * inputs, and its value is in the same store, so it is kept without a lookup; and only the
 * manifest shards holding a changed entry are serialized again.
 */
export type LastWrite = {
  store: ValueStore;
  sources: readonly DocumentJob[];
  made: readonly CachedDocument[];
  /** The same documents by path. */
  documents: ReadonlyMap<string, CachedDocument>;
  assembled: AssembledBuild;
};

/**
 * Renders what changed and stores the build: a document whose inputs hash as in the last
 * build, and whose value the store still holds, is not rendered again; new values go into
 * one new pack; then the manifest shards, and last `<outDir>/build.json` (replaced whole),
 * so a reader of `build.json` always finds every value it names. Nothing unchanged is
 * written again.
 */
export async function writeBuild(options: {
  store: ValueStore;
  outDir: string;
  sources: readonly DocumentJob[];
  prior: ReadonlyMap<string, CachedDocument>;
  facts: BuildFacts;
  /** The last build this process wrote, if any (a watching build's). */
  last?: LastWrite | undefined;
  /** Keep a document whose inputs are unchanged even when the store lacks its body. */
  changedOnly?: boolean;
  onProgress?: (done: number) => void;
}): Promise<WrittenBuild> {
  const { store, sources, prior } = options;
  const last = options.last?.store === store ? options.last : undefined;
  const writer = store.begin();
  const made: (CachedDocument | undefined)[] = new Array(sources.length);
  // What the last build stored and this one can keep as it is: the same inputs, and a
  // value the store still has (the store keeps every value of the last build it wrote).
  const kept = sources.map((source, index) => {
    if (last?.sources[index] === source) return last.made[index];
    const before = prior.get(source.path);
    const same =
      before?.inputHash === source.inputHash &&
      (options.changedOnly === true || store.has(contentKey(before.hash)));
    return same ? before : undefined;
  });
  const rendered = kept.filter((k) => k === undefined).length;
  // EDGEFEED_WRITE_THREAD_FROM lowers the threshold so that a test runs the threaded path
  // on a small site (tests/compile/store-writer-thread.test.ts).
  const threshold = Number(process.env.EDGEFEED_WRITE_THREAD_FROM ?? THREAD_THRESHOLD);
  const threaded = rendered >= threshold ? new ThreadedDocumentWriter(store) : undefined;
  let added = { values: 0, bytes: 0 };
  const renderedPaths: string[] = [];
  try {
    for (const [index, source] of sources.entries()) {
      const before = kept[index];
      if (before !== undefined) {
        made[index] =
          before.updated === source.updated && before.type === source.type
            ? before
            : { ...before, updated: source.updated, type: source.type };
      } else {
        renderedPaths.push(source.path);
        const parts = source.render();
        let size = 0;
        for (const part of parts) size += part.length;
        checkValueSize(source.path, size);
        const store = (hash: string) => {
          made[index] = {
            inputHash: source.inputHash,
            hash,
            bytes: size,
            updated: source.updated,
            type: source.type,
          };
        };
        if (threaded) await threaded.write(parts, size, store);
        else {
          const hash = createHash('sha256');
          for (const part of parts) hash.update(part);
          const digest = hash.digest('base64url').slice(0, CONTENT_HASH_LENGTH);
          writer.add(contentKey(digest), parts, size);
          store(digest);
        }
      }
      if (index % 256 === 0) options.onProgress?.(index);
    }
    if (threaded) added = await threaded.finish();
    // After a build of the same paths in the same order, only the jobs that are not its own
    // can differ: its documents are copied as a whole and those set (a rebuild after an edit
    // at 100,000 seeds touches ~30 of ~72,000), not all made again.
    const same =
      last !== undefined &&
      last.sources.length === sources.length &&
      sources.every((source, i) => {
        const before = last.sources[i];
        return before === source || before?.path === source.path;
      });
    const documents = same ? new Map(last.documents) : new Map<string, CachedDocument>();
    const changed: string[] = [];
    let bytes = 0;
    for (let index = 0; index < sources.length; index++) {
      const source = sources[index] as DocumentJob;
      const doc = made[index];
      if (doc === undefined) throw new Error(`internal: ${source.path} was not stored`);
      bytes += doc.bytes;
      if (same && last.sources[index] === source) continue;
      documents.set(source.path, doc);
      changed.push(source.path);
    }
    if (documents.size !== sources.length) throw new Error('internal: a path is planned twice');
    const assembled = assembleBuild(
      documents,
      options.facts,
      last?.assembled,
      same ? changed : undefined,
    );
    for (const [key, text] of assembled.shards) {
      if (!store.has(key)) writer.add(key, Buffer.from(text));
    }
    added = { values: added.values + writer.added.values, bytes: added.bytes + writer.added.bytes };
    await writer.commit();
    writeBuildFile(options.outDir, store.dir, assembled.record);
    await keepBuild(store, assembled.record, bytes);
    return {
      record: assembled.record,
      manifest: assembled.manifest,
      documents,
      rendered,
      reused: sources.length - rendered,
      bytes,
      added,
      renderedPaths,
      last: { store, sources, made: made as CachedDocument[], documents, assembled },
    };
  } catch (error) {
    await threaded?.abandon();
    await writer.abandon();
    throw error;
  }
}

function writeBuildFile(outDir: string, storeDir: string, record: BuildRecord): void {
  mkdirSync(outDir, { recursive: true });
  const store = relative(outDir, storeDir) || '.';
  replaceFile(join(outDir, BUILD_FILE), `${JSON.stringify({ ...record, store }, null, 2)}\n`);
}

function replaceFile(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}
