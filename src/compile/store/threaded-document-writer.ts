import { rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { CONTENT_PREFIX } from '../../core/store-keys.ts';
import type { StoreWriterMessage, StoreWriterReply } from './store-writer-protocol.ts';
import type { ValueStore } from './value-store.ts';

/** Size of each batch buffer; a larger document gets a buffer of its own. */
const BATCH_BYTES = 8 * 2 ** 20;
/** Batch buffers, reused: rendering waits when all of them are with the writer. */
const BATCHES = 4;
/** Old-generation heap of the writer thread, in MiB: it holds no document of its own. */
const WRITER_HEAP_MB = 64;

type Hashed = (hash: string) => void;
type Batch = { buffer: ArrayBuffer; used: number; documents: [number, number, number][] };

/**
 * Stores rendered documents from a second thread. This thread copies each document's
 * pieces end to end into one of a few reused batch buffers and hands a full batch over
 * (transferred, not copied); the writer hashes each document (its content key and ETag)
 * and appends it to one new pack, then hands the buffer back. At 100,000 seeds with
 * archives that is 1.7 GB hashed and written while this thread renders, and no fresh
 * memory per document. Values the store already has are not written again.
 */
export class ThreadedDocumentWriter {
  readonly #store: ValueStore;
  readonly #pack: { name: string; path: string };
  readonly #worker: Worker;
  readonly #callbacks = new Map<number, Hashed>();
  readonly #free: ArrayBuffer[] = [];
  #made = 0;
  #batch: Batch | undefined;
  #seq = 0;
  #failure: Error | undefined;
  #waiters: (() => void)[] = [];
  #finished: ((reply: Extract<StoreWriterReply, { type: 'finished' }>) => void) | undefined;
  #stopping = false;

  constructor(store: ValueStore) {
    this.#store = store;
    this.#pack = store.newPack();
    const known = [...store.keys()].filter((key) => key.startsWith(CONTENT_PREFIX));
    this.#worker = new Worker(new URL('./store-writer-thread.ts', import.meta.url), {
      workerData: { packPath: this.#pack.path, known },
      resourceLimits: { maxOldGenerationSizeMb: WRITER_HEAP_MB },
    });
    this.#worker.on('message', (reply: StoreWriterReply) => this.#receive(reply));
    this.#worker.once('error', (error) => this.#fail(error));
    this.#worker.once('exit', (code) => {
      if (!this.#stopping) this.#fail(new Error(`store writer thread exited with code ${code}`));
    });
  }

  /** Queues a document (its pieces, `size` bytes in all); `then` gets its content hash. */
  async write(parts: readonly Buffer[], size: number, then: Hashed): Promise<void> {
    if (this.#failure) throw this.#failure;
    let batch = this.#batch;
    if (batch === undefined || batch.used + size > batch.buffer.byteLength) {
      if (batch !== undefined) this.#send(batch);
      batch = await this.#newBatch(size);
      this.#batch = batch;
    }
    const target = new Uint8Array(batch.buffer);
    let at = batch.used;
    for (const part of parts) {
      target.set(part, at);
      at += part.length;
    }
    const seq = this.#seq++;
    this.#callbacks.set(seq, then);
    batch.documents.push([seq, batch.used, size]);
    batch.used = at;
  }

  /** Waits for every document, then commits the pack. Returns what it added. */
  async finish(): Promise<{ values: number; bytes: number }> {
    if (this.#batch !== undefined) this.#send(this.#batch);
    this.#batch = undefined;
    while (this.#callbacks.size > 0 && !this.#failure) await this.#next();
    if (this.#failure) throw this.#failure;
    const finished = new Promise<Extract<StoreWriterReply, { type: 'finished' }>>((resolve) => {
      this.#finished = resolve;
    });
    this.#post({ type: 'end' });
    while (this.#finished !== undefined && !this.#failure) await this.#next();
    if (this.#failure) throw this.#failure;
    const { entries, bytes } = await finished;
    this.#stopping = true;
    await this.#worker.terminate();
    if (entries.length > 0) this.#store.commitPack(this.#pack.name, entries);
    return { values: entries.length, bytes };
  }

  /** Stops the writer and removes its pack (a failed build). */
  async abandon(): Promise<void> {
    this.#stopping = true;
    await this.#worker.terminate();
    rmSync(this.#pack.path, { force: true });
  }

  async #newBatch(size: number): Promise<Batch> {
    if (size > BATCH_BYTES) return { buffer: new ArrayBuffer(size), used: 0, documents: [] };
    while (this.#free.length === 0 && this.#made >= BATCHES && !this.#failure) {
      await this.#next();
    }
    if (this.#failure) throw this.#failure;
    let buffer = this.#free.pop();
    if (buffer === undefined) {
      buffer = new ArrayBuffer(BATCH_BYTES);
      this.#made++;
    }
    return { buffer, used: 0, documents: [] };
  }

  #send(batch: Batch): void {
    if (batch.documents.length === 0) {
      this.#recycle(batch.buffer);
      return;
    }
    this.#post({ type: 'write', buffer: batch.buffer, documents: batch.documents }, [batch.buffer]);
  }

  #recycle(buffer: ArrayBuffer): void {
    if (buffer.byteLength === BATCH_BYTES) this.#free.push(buffer);
  }

  #post(message: StoreWriterMessage, transfer: ArrayBuffer[] = []): void {
    this.#worker.postMessage(message, transfer);
  }

  #receive(reply: StoreWriterReply): void {
    if (reply.type === 'hashed') {
      for (const [seq, hash] of reply.hashed) {
        this.#callbacks.get(seq)?.(hash);
        this.#callbacks.delete(seq);
      }
      this.#recycle(reply.buffer);
    } else if (reply.type === 'finished') {
      const done = this.#finished;
      this.#finished = undefined;
      done?.(reply);
    } else this.#fail(new Error(reply.message));
    for (const wake of this.#waiters.splice(0)) wake();
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const wake of this.#waiters.splice(0)) wake();
  }

  #next(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }
}
