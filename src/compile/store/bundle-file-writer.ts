import { closeSync, openSync, readFileSync, writev, writevSync } from 'node:fs';
import type { CachedDocument } from '../cache/build-cache.ts';
import { makeDocument } from './make-document.ts';

/** Bytes handed to background writes and not yet written (see #flush). */
const MAX_WRITING = 64 * 2 ** 20;

/** A rendered document on its way into the bundle file. */
export type RenderedDocument = {
  key: string;
  inputHash: string;
  path: string;
  body: string;
  /** UTF-8 size of the body. */
  bytes: number;
  contentType: string;
  updated: number;
};

/** What a finished bundle file holds, for the build cache and the report. */
export type WrittenDocuments = {
  documents: Map<string, CachedDocument>;
  /** Each document's line, when asked for (a watching build keeps them for the next). */
  lines?: Map<string, Buffer>;
  rendered: number;
  reused: number;
  bytes: number;
};

/**
 * Writes the lines of `kv-bundle.json` in the order given: `[`, one entry per line, the
 * build record, `]`. An unchanged document is a slice of the previous bundle (read once);
 * a rendered one is JSON-escaped, hashed and encoded here (`makeDocument`). Lines are
 * gathered and written a few MiB at a time: one syscall per line was a third of a cached
 * rebuild's time at 9,000 documents. Used in the main thread for small builds, and in the
 * bundle writer thread for large ones (write-bundle-file.ts), so both write the same bytes.
 * The previous bundle is a file, or (under --watch) the lines the last build kept.
 */
export class BundleFileWriter {
  readonly #fd: number;
  readonly #old: Buffer | ReadonlyMap<string, Buffer> | undefined;
  readonly #lines: Map<string, Buffer> | undefined;
  readonly #documents = new Map<string, CachedDocument>();
  #pending: Buffer[] = [];
  #writing = 0;
  #writingOwned = 0;
  #drained: (() => void)[] = [];
  #failure: Error | undefined;
  #pendingBytes = 0;
  #pendingOwned = 0;
  #offset = 0;
  #rendered = 0;
  #reused = 0;
  #bytes = 0;

  constructor(
    temp: string,
    previous: string | ReadonlyMap<string, Buffer> | undefined,
    keepLines = false,
  ) {
    this.#fd = openSync(temp, 'w');
    this.#old = typeof previous === 'string' ? readFileSync(previous) : previous;
    this.#lines = keepLines ? new Map() : undefined;
    this.#write(Buffer.from('['));
  }

  /** Copies a document's line from the previous bundle, byte for byte. */
  reuse(key: string, prior: CachedDocument): void {
    const old = this.#old;
    const line =
      old instanceof Map
        ? old.get(key)
        : old instanceof Buffer && prior.offset + prior.length <= old.length
          ? old.subarray(prior.offset, prior.offset + prior.length)
          : undefined;
    if (line === undefined) throw new Error(`the previous bundle has no line for ${key}`);
    this.#separator();
    this.#add(key, { ...prior, offset: this.#offset }, [line], false);
    this.#reused++;
  }

  render(doc: RenderedDocument): void {
    const made = makeDocument(doc.path, doc.body, doc.contentType, doc.updated, doc.bytes);
    this.#separator();
    const cached = {
      inputHash: doc.inputHash,
      offset: this.#offset,
      length: made.lineBytes,
      metadata: made.entry.metadata,
      bytes: made.bytes,
    };
    this.#add(doc.key, cached, made.line);
    this.#rendered++;
  }

  written(): WrittenDocuments {
    return {
      documents: this.#documents,
      ...(this.#lines ? { lines: this.#lines } : {}),
      rendered: this.#rendered,
      reused: this.#reused,
      bytes: this.#bytes,
    };
  }

  /** Ends the file with the build record's line, waits for every write, and closes it. */
  async finish(recordLine: string): Promise<void> {
    try {
      this.#separator();
      this.#write(Buffer.from(`${recordLine}\n]\n`));
      this.#flush();
      while (this.#writing > 0) await new Promise<void>((r) => this.#drained.push(r));
      if (this.#failure) throw this.#failure;
    } finally {
      closeSync(this.#fd);
    }
  }

  /** Closes the file after a failure, once no write is using it; the caller removes it. */
  async abandon(): Promise<void> {
    while (this.#writing > 0) await new Promise<void>((r) => this.#drained.push(r));
    closeSync(this.#fd);
  }

  #separator(): void {
    this.#write(Buffer.from(this.#offset > 1 ? ',\n' : '\n'));
  }

  /** `owned`: the line was made now, and held only until written (not a kept slice). */
  #add(key: string, cached: CachedDocument, line: Buffer[], owned = true): void {
    this.#documents.set(key, cached);
    this.#lines?.set(key, line.length === 1 && line[0] ? line[0] : Buffer.concat(line));
    this.#bytes += cached.bytes;
    for (const piece of line) this.#write(piece, owned);
  }

  #write(chunk: Buffer, owned = true): void {
    this.#pending.push(chunk);
    this.#pendingBytes += chunk.length;
    if (owned) this.#pendingOwned += chunk.length;
    this.#offset += chunk.length;
    if (this.#pendingBytes >= 8 * 2 ** 20 || this.#pending.length >= 1000) this.#flush();
  }

  /**
   * Writes what is pending at its own offset, in the background (libuv's thread pool): at
   * 100k seeds the copy into the page cache is half a second this thread can spend
   * escaping the next document, and a rebuild's 250 MB of unchanged lines are copied by
   * several pool threads at once. Positioned writes may land in any order. Past
   * MAX_WRITING bytes of lines made now (kept slices cost nothing to hold) it writes
   * synchronously rather than hold more.
   */
  #flush(): void {
    const pieces = this.#pending;
    const bytes = this.#pendingBytes;
    const owned = this.#pendingOwned;
    const position = this.#offset - bytes;
    this.#pending = [];
    this.#pendingBytes = 0;
    this.#pendingOwned = 0;
    if (pieces.length === 0) return;
    if (this.#writingOwned + owned > MAX_WRITING) {
      writevSync(this.#fd, pieces, position);
      return;
    }
    this.#writing++;
    this.#writingOwned += owned;
    writev(this.#fd, pieces, position, (error) => {
      if (error) this.#failure ??= error;
      this.#writing--;
      this.#writingOwned -= owned;
      if (this.#writing === 0) for (const wake of this.#drained.splice(0)) wake();
    });
  }
}
