import { closeSync, openSync, readSync, renameSync, statSync, writeSync } from 'node:fs';
import { BUILD_RECORD_KEY } from '../core/document-paths.ts';
import type { BuildRecord, BundleEntry } from '../core/document-record.ts';
import type { CachedDocument } from './build-cache.ts';
import type { DocumentSource } from './document-source.ts';

export type WrittenBundle = {
  documents: Map<string, CachedDocument>;
  bundle: { path: string; size: number; mtimeNs: string };
  rendered: number;
  reused: number;
  bytes: number;
};

/**
 * Streams the bundle to `path`: `[`, one entry per line sorted by key, `]` — exactly what
 * `wrangler kv bulk put` reads, and never held in memory whole. A document whose input
 * hash matches the previous build is copied byte for byte from the previous file instead
 * of being rendered again. The build record goes last (`meta:` sorts after `doc:`).
 */
export function writeBundleFile(
  path: string,
  sources: DocumentSource[],
  previous: { documents: Map<string, CachedDocument>; path: string | undefined },
  buildRecord: (documents: Map<string, CachedDocument>) => BuildRecord,
  onProgress: (done: number) => void = () => {},
): WrittenBundle {
  const temp = `${path}.${process.pid}.tmp`;
  const out = openSync(temp, 'w');
  const old = previous.path ? openSync(previous.path, 'r') : undefined;
  const documents = new Map<string, CachedDocument>();
  let offset = 0;
  let rendered = 0;
  let reused = 0;
  let bytes = 0;
  const write = (chunk: Buffer) => {
    writeSync(out, chunk);
    offset += chunk.length;
  };
  try {
    write(Buffer.from('[\n'));
    sources.forEach((source, index) => {
      if (index > 0) write(Buffer.from(',\n'));
      const prior = previous.documents.get(source.key);
      let line: Buffer;
      let cached: CachedDocument;
      if (old !== undefined && prior && prior.inputHash === source.inputHash) {
        line = Buffer.allocUnsafe(prior.length);
        if (readSync(old, line, 0, prior.length, prior.offset) !== prior.length) {
          throw new Error('the previous bundle is shorter than the cache says');
        }
        cached = { ...prior, offset };
        reused++;
      } else {
        const entry = source.build();
        line = Buffer.from(JSON.stringify(entry));
        const metadata = entry.metadata;
        if (!metadata) throw new Error(`internal: ${source.key} has no metadata`);
        cached = {
          inputHash: source.inputHash,
          offset,
          length: line.length,
          metadata,
          bytes: Buffer.byteLength(entry.value),
        };
        rendered++;
      }
      documents.set(source.key, cached);
      bytes += cached.bytes;
      write(line);
      if (index % 256 === 0) onProgress(index);
    });
    const record: BundleEntry = {
      key: BUILD_RECORD_KEY,
      value: JSON.stringify(buildRecord(documents)),
    };
    write(Buffer.from(`${sources.length > 0 ? ',\n' : ''}${JSON.stringify(record)}\n]\n`));
    bytes += Buffer.byteLength(record.value);
  } finally {
    closeSync(out);
    if (old !== undefined) closeSync(old);
  }
  renameSync(temp, path);
  const info = statSync(path, { bigint: true });
  return {
    documents,
    bundle: { path, size: Number(info.size), mtimeNs: String(info.mtimeNs) },
    rendered,
    reused,
    bytes,
  };
}
