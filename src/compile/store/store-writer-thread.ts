// The store writer thread: batches of document bytes in; each hashed and appended to one pack.
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { contentKey } from '../../core/store-keys.ts';
import { CONTENT_HASH_LENGTH } from './content-hash.ts';
import type { StoreWriterMessage, StoreWriterReply } from './store-writer-protocol.ts';

const { packPath, known } = workerData as { packPath: string; known: string[] };
const port = parentPort;
if (port === null) throw new Error('store-writer-thread.ts runs as a worker thread');

const stored = new Set(known);
const entries: [string, number, number][] = [];
let fd: number | undefined;
let offset = 0;

const reply = (message: StoreWriterReply, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

port.on('message', (message: StoreWriterMessage) => {
  try {
    if (message.type === 'write') {
      const hashed: [number, string][] = [];
      for (const [seq, at, length] of message.documents) {
        const bytes = Buffer.from(message.buffer, at, length);
        const hash = createHash('sha256')
          .update(bytes)
          .digest('base64url')
          .slice(0, CONTENT_HASH_LENGTH);
        const key = contentKey(hash);
        if (!stored.has(key)) {
          stored.add(key);
          fd ??= openSync(packPath, 'w');
          for (let done = 0; done < length; ) {
            done += writeSync(fd, bytes, done, length - done, offset + done);
          }
          entries.push([key, offset, length]);
          offset += length;
        }
        hashed.push([seq, hash]);
      }
      reply({ type: 'hashed', buffer: message.buffer, hashed }, [message.buffer]);
    } else {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
      reply({ type: 'finished', entries, bytes: offset });
    }
  } catch (error) {
    reply({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
});
