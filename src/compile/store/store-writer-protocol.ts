/**
 * From the main thread: a batch of documents copied end to end into `buffer` (transferred,
 * not copied), each `[seq, offset, length]`; or the end.
 */
export type StoreWriterMessage =
  | {
      type: 'write';
      buffer: ArrayBuffer;
      documents: [seq: number, offset: number, length: number][];
    }
  | { type: 'end' };

/**
 * From the writer: each document's content hash, and the batch's buffer back for reuse; the
 * pack written; a failure.
 */
export type StoreWriterReply =
  | { type: 'hashed'; buffer: ArrayBuffer; hashed: [seq: number, hash: string][] }
  | { type: 'finished'; entries: [key: string, offset: number, length: number][]; bytes: number }
  | { type: 'failed'; message: string };
