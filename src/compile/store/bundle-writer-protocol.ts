import type { CachedDocument } from '../cache/build-cache.ts';
import type { RenderedDocument, WrittenDocuments } from './bundle-file-writer.ts';

/** Main thread → bundle writer thread, in bundle order. */
export type WriterMessage =
  | { type: 'render'; doc: RenderedDocument }
  | { type: 'reuse'; key: string; prior: CachedDocument }
  | { type: 'end' }
  | { type: 'finish'; recordLine: string };

/** Bundle writer thread → main thread. */
export type WriterReply =
  | { type: 'ack'; chars: number }
  | { type: 'written'; written: WrittenDocuments }
  | { type: 'finished' }
  | { type: 'failed'; message: string };
