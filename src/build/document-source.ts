import type { MadeDocument } from './make-document.ts';

/** A bundle entry to be: its key, what it depends on, and how to make it when needed. */
export type DocumentSource = { key: string; inputHash: string; build: () => MadeDocument };
