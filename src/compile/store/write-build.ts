import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BuildRecord } from '../../core/build-record.ts';
import type { ManifestEntry } from '../../core/manifest.ts';
import { contentKey } from '../../core/store-keys.ts';
import type { CachedDocument } from '../cache/build-cache.ts';
import type { DocumentJob } from '../render/plan-documents.ts';
import { assembleBuild, type BuildFacts } from './assemble-build.ts';
import { checkValueSize } from './check-value-size.ts';
import { HashWindow } from './hash-window.ts';
import { keepBuild } from './keep-build.ts';
import type { ValueStore } from './value-store.ts';

/** `<out>/build.json`: the build's record, and where its values are (relative to out). */
export const BUILD_FILE = 'build.json';
/** `<out>/manifest.json`: every path of the build with its content hash, date and type. */
export const MANIFEST_FILE = 'manifest.json';

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
};

/**
 * Renders what changed and stores the build: a document whose inputs hash as in the last
 * build, and whose value the store still holds, is not rendered again; new values go into
 * one new pack; then the manifest shards, and last the build's files in `outDir`
 * (`manifest.json`, then `build.json`, each replaced whole), so a reader of `build.json`
 * always finds every value it names. Nothing unchanged is written again.
 */
export async function writeBuild(options: {
  store: ValueStore;
  outDir: string;
  sources: readonly DocumentJob[];
  prior: ReadonlyMap<string, CachedDocument>;
  facts: BuildFacts;
  onProgress?: (done: number) => void;
}): Promise<WrittenBuild> {
  const { store, sources, prior } = options;
  const writer = store.begin();
  const made: (CachedDocument | undefined)[] = new Array(sources.length);
  const hashing = new HashWindow();
  let rendered = 0;
  let reused = 0;
  try {
    for (const [index, source] of sources.entries()) {
      const before = prior.get(source.path);
      if (before?.inputHash === source.inputHash && store.has(contentKey(before.hash))) {
        made[index] = { ...before, updated: source.updated, type: source.type };
        reused++;
      } else {
        const body = source.render();
        checkValueSize(source.path, body.length);
        rendered++;
        await hashing.add(body, (hash) => {
          writer.add(contentKey(hash), body);
          made[index] = {
            inputHash: source.inputHash,
            hash,
            bytes: body.length,
            updated: source.updated,
            type: source.type,
          };
        });
      }
      if (index % 256 === 0) options.onProgress?.(index);
    }
    await hashing.drain();
    const documents = new Map<string, CachedDocument>();
    let bytes = 0;
    for (const [index, source] of sources.entries()) {
      const doc = made[index];
      if (doc === undefined) throw new Error(`internal: ${source.path} was not stored`);
      documents.set(source.path, doc);
      bytes += doc.bytes;
    }
    const stored = [...documents].map(([path, d]) => ({ path, ...d }));
    const assembled = assembleBuild(stored, options.facts);
    for (const [key, text] of assembled.shards) writer.add(key, Buffer.from(text));
    const added = writer.added;
    await writer.commit();
    writeOutFiles(options.outDir, store.dir, assembled.record, assembled.manifest);
    await keepBuild(store, assembled.record, bytes);
    return {
      record: assembled.record,
      manifest: assembled.manifest,
      documents,
      rendered,
      reused,
      bytes,
      added,
    };
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}

function writeOutFiles(
  outDir: string,
  storeDir: string,
  record: BuildRecord,
  manifest: ReadonlyMap<string, unknown>,
): void {
  mkdirSync(outDir, { recursive: true });
  const paths = [...manifest.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const documents: Record<string, unknown> = {};
  for (const path of paths) documents[path] = manifest.get(path);
  replaceFile(
    join(outDir, MANIFEST_FILE),
    `${JSON.stringify({ buildId: record.buildId, documents })}\n`,
  );
  const store = relative(outDir, storeDir) || '.';
  replaceFile(join(outDir, BUILD_FILE), `${JSON.stringify({ ...record, store }, null, 2)}\n`);
}

function replaceFile(path: string, text: string): void {
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, text);
  renameSync(temp, path);
}
