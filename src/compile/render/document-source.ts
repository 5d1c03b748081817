import type { DocumentJob } from './plan-documents.ts';

/** A bundle entry to be: its key, what it depends on, and how to render it when needed. */
export type DocumentSource = DocumentJob & { key: string };
