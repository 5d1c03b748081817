import { linkSync, renameSync, rmSync, statSync, unlink, unlinkSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { BUILD_RECORD_KEY } from '../../core/document-paths.ts';
import type { BuildRecord, BundleEntry } from '../../core/document-record.ts';
import type { CachedDocument } from '../cache/build-cache.ts';
import type { DocumentSource } from '../render/document-source.ts';
import {
  BundleFileWriter,
  type RenderedDocument,
  type WrittenDocuments,
} from './bundle-file-writer.ts';
import type { WriterMessage, WriterReply } from './bundle-writer-protocol.ts';

export type WrittenBundle = WrittenDocuments & {
  bundle: { path: string; size: number; mtimeNs: string };
};

/**
 * The bundle a build may splice unchanged lines from: the file the cache describes, or the
 * lines a watching build kept in memory.
 */
export type PreviousBundle = {
  documents: Map<string, CachedDocument>;
  path: string | undefined;
  lines?: ReadonlyMap<string, Buffer> | undefined;
};

/** Below this many documents to render, a writer thread costs more than it saves. */
const THREAD_THRESHOLD = 500;
/** Rendered text waiting for the writer thread, in UTF-16 code units (memory bound). */
const MAX_IN_FLIGHT = 8 * 2 ** 20;

/** Old-generation heap of the writer thread, in MiB. */
const WRITER_HEAP_MB = 192;

/**
 * Streams the bundle to `path`: `[`, one entry per line sorted by key, `]` — exactly what
 * `wrangler kv bulk put` reads, and never held in memory whole. A document whose input
 * hash matches the previous build is copied byte for byte from the previous file instead
 * of being rendered again. The build record goes last (`meta:` sorts after `doc:`).
 * With many documents to render, escaping, hashing and writing them happen in a second
 * thread while this one renders: the same `BundleFileWriter` either way, so the same bytes.
 */
export async function writeBundleFile(
  path: string,
  sources: DocumentSource[],
  previous: PreviousBundle,
  buildRecord: (documents: Map<string, CachedDocument>) => BuildRecord,
  onProgress: (done: number) => void = () => {},
  keepLines = false,
): Promise<WrittenBundle> {
  const temp = `${path}.${process.pid}.tmp`;
  const old = previous.lines ?? previous.path;
  // Each source's line in the previous bundle, if its inputs are unchanged (looked up once).
  const priors = sources.map((source) => {
    const prior = previous.documents.get(source.key);
    return old !== undefined && prior?.inputHash === source.inputHash ? prior : undefined;
  });
  const toRender = priors.filter((p) => p === undefined).length;
  // EDGEFEED_WRITE_THREAD_FROM lowers the threshold so that a test can run the threaded
  // path on a small site (tests/compile/bundle-writer-thread.test.ts).
  const threshold = Number(process.env.EDGEFEED_WRITE_THREAD_FROM ?? THREAD_THRESHOLD);
  // Kept lines live in this thread, so a build that keeps or reuses them writes here.
  const threaded = toRender >= threshold && !keepLines && previous.lines === undefined;
  const sink = threaded ? threadSink(temp, previous.path) : directSink(temp, old, keepLines);
  let written: WrittenDocuments;
  try {
    for (const [index, source] of sources.entries()) {
      const prior = priors[index];
      if (prior) sink.reuse(source.key, prior);
      else await sink.render(renderSource(source));
      if (index % 256 === 0) onProgress(index);
    }
    written = await sink.written();
    const record: BundleEntry = {
      key: BUILD_RECORD_KEY,
      value: JSON.stringify(buildRecord(written.documents)),
    };
    await sink.finish(JSON.stringify(record));
    written.bytes += Buffer.byteLength(record.value);
  } catch (error) {
    await sink.abandon();
    rmSync(temp, { force: true });
    throw error;
  }
  replaceFile(temp, path);
  const info = statSync(path, { bigint: true });
  return { ...written, bundle: { path, size: Number(info.size), mtimeNs: String(info.mtimeNs) } };
}

/**
 * Moves the new bundle into place. Renaming over the old file cost 150 ms of a 1 s rebuild
 * twice over: rename() freed the old file's 250 MB of page cache, and ext4 (auto_da_alloc)
 * starts writing back a file renamed over another at once. So the old file is given a
 * second name, unlinked from `path`, the new one renamed in, and the old one unlinked in
 * the background. A reader never sees a partial bundle; for those microseconds it may
 * find none (ENOENT).
 */
function replaceFile(temp: string, path: string): void {
  const old = `${path}.${process.pid}.old`;
  let kept = false;
  try {
    linkSync(path, old);
    kept = true;
    unlinkSync(path);
  } catch {
    // no previous bundle, or a file system without hard links: a plain rename it is
  }
  renameSync(temp, path);
  if (kept) unlink(old, () => {});
}

function renderSource(source: DocumentSource): RenderedDocument {
  const body = source.render();
  return {
    key: source.key,
    inputHash: source.inputHash,
    path: source.path,
    body,
    bytes: Buffer.byteLength(body),
    contentType: source.contentType,
    updated: source.updated,
  };
}

/** Where rendered documents go: this thread's writer, or the writer thread's. */
type BundleSink = {
  reuse(key: string, prior: CachedDocument): void;
  render(doc: RenderedDocument): Promise<void>;
  written(): Promise<WrittenDocuments>;
  finish(recordLine: string): Promise<void>;
  abandon(): Promise<void>;
};

function directSink(
  temp: string,
  previous: string | ReadonlyMap<string, Buffer> | undefined,
  keepLines: boolean,
): BundleSink {
  const writer = new BundleFileWriter(temp, previous, keepLines);
  let open = true;
  return {
    reuse: (key, prior) => writer.reuse(key, prior),
    render: async (doc) => writer.render(doc),
    written: async () => writer.written(),
    finish: async (line) => {
      open = false;
      await writer.finish(line);
    },
    abandon: async () => {
      if (open) await writer.abandon();
      open = false;
    },
  };
}

function threadSink(temp: string, previous: string | undefined): BundleSink {
  const worker = new Worker(new URL('./bundle-writer-thread.ts', import.meta.url), {
    workerData: { temp, previous },
    // It holds a few documents at a time (one of KV's 25 MiB is 50 MB as UTF-16, and as
    // much again escaped); a capped heap makes it collect early, which keeps a 100k-seed
    // build's peak RSS under 1 GB (the main thread's heap holds every article).
    resourceLimits: { maxOldGenerationSizeMb: WRITER_HEAP_MB },
  });
  let inFlight = 0;
  let failure: Error | undefined;
  // Whoever waits for the thread's next reply (backpressure, the written list, the end).
  let waiting: ((reply: WriterReply | undefined) => void) | undefined;
  const wake = (reply: WriterReply | undefined) => {
    const w = waiting;
    waiting = undefined;
    w?.(reply);
  };
  worker.on('message', (reply: WriterReply) => {
    if (reply.type === 'ack') inFlight -= reply.chars;
    if (reply.type === 'failed') failure = new Error(reply.message);
    wake(reply);
  });
  worker.once('error', (error) => {
    failure = error;
    wake(undefined);
  });
  worker.once('exit', (code) => {
    failure ??= new Error(`bundle writer thread exited with code ${code}`);
    wake(undefined);
  });
  const send = (message: WriterMessage) => {
    if (failure) throw failure;
    worker.postMessage(message);
  };
  const next = () => new Promise<WriterReply | undefined>((resolve) => (waiting = resolve));
  /** Waits for a reply of one type, letting acks pass. */
  const until = async <T extends WriterReply['type']>(type: T) => {
    for (;;) {
      if (failure) throw failure;
      const reply = await next();
      if (failure) throw failure;
      if (reply?.type === type) return reply as Extract<WriterReply, { type: T }>;
    }
  };
  return {
    reuse: (key, prior) => send({ type: 'reuse', key, prior }),
    render: async (doc) => {
      send({ type: 'render', doc });
      inFlight += doc.body.length;
      while (inFlight > MAX_IN_FLIGHT) await until('ack');
    },
    written: async () => {
      send({ type: 'end' });
      return (await until('written')).written;
    },
    finish: async (recordLine) => {
      send({ type: 'finish', recordLine });
      await until('finished');
      await worker.terminate();
    },
    abandon: async () => {
      await worker.terminate();
    },
  };
}
