import { DOCUMENT_TYPE_CODES, type DocumentType } from '../../core/media-types.ts';
import { shardKey } from '../../core/store-keys.ts';
import type { DocumentJob } from '../render/plan-documents.ts';
import type { AssembledBuild } from '../store/assemble-build.ts';
import type { CachedDocument } from './build-cache.ts';
import { type Section, StateFileError, takeSection } from './state-file.ts';
import { putStrings, takeStrings } from './string-column.ts';

/**
 * Every document of a build as columns, in plan order: path, type, date, input hash (the
 * plan), content hash and size (what was stored); and the manifest shards' text, so that
 * a rebuild serializes only the shards an edit changes.
 */
export function putDocuments(
  sections: Map<string, Section>,
  jobs: readonly DocumentJob[],
  documents: ReadonlyMap<string, CachedDocument>,
  assembled: AssembledBuild,
): void {
  const types = new Uint8Array(jobs.length);
  const updated = new Float64Array(jobs.length);
  const bytes = new Float64Array(jobs.length);
  const hashes: string[] = [];
  for (const [i, job] of jobs.entries()) {
    const doc = documents.get(job.path);
    if (doc === undefined || doc.inputHash !== job.inputHash)
      throw new Error(`internal: ${job.path} was planned but not stored`);
    types[i] = DOCUMENT_TYPE_CODES.indexOf(doc.type);
    updated[i] = doc.updated;
    bytes[i] = doc.bytes;
    hashes.push(doc.hash);
  }
  sections.set('docs.types', types);
  sections.set('docs.updated', updated);
  sections.set('docs.bytes', bytes);
  putStrings(
    sections,
    'docs.paths',
    jobs.map((job) => job.path),
  );
  putStrings(
    sections,
    'docs.inputs',
    jobs.map((job) => job.inputHash),
  );
  putStrings(sections, 'docs.hashes', hashes);
  putStrings(
    sections,
    'shards.texts',
    assembled.record.shards.map((hash) => assembled.shards.get(shardKey(hash)) ?? ''),
  );
}

/** Restored documents: a job per document (planned, never rendered: see `restoredJob`). */
export type RestoredDocuments = {
  jobs: DocumentJob[];
  /** What was stored for each job, in the same order. */
  made: CachedDocument[];
  /** The same, by path. */
  documents: Map<string, CachedDocument>;
};

export function takeDocuments(sections: ReadonlyMap<string, Section>): RestoredDocuments {
  const types = takeSection(sections, 'docs.types', 'u8');
  const updated = takeSection(sections, 'docs.updated', 'f64');
  const bytes = takeSection(sections, 'docs.bytes', 'f64');
  const paths = takeStrings(sections, 'docs.paths');
  const inputs = takeStrings(sections, 'docs.inputs');
  const hashes = takeStrings(sections, 'docs.hashes');
  const jobs: DocumentJob[] = new Array(paths.length);
  const made: CachedDocument[] = new Array(paths.length);
  const documents = new Map<string, CachedDocument>();
  for (let i = 0; i < paths.length; i++) {
    const type: DocumentType | undefined = DOCUMENT_TYPE_CODES[types[i] ?? -1];
    if (type === undefined) throw new StateFileError('a document of an unknown type');
    const path = paths[i] as string;
    const inputHash = inputs[i] as string;
    const date = updated[i] as number;
    // One object is both the job and what was stored for it: half the objects to make.
    const doc = {
      path,
      type,
      updated: date,
      inputHash,
      render: notRenderable,
      hash: hashes[i] as string,
      bytes: bytes[i] as number,
    };
    jobs[i] = doc;
    made[i] = doc;
    documents.set(path, doc);
  }
  return { jobs, made, documents };
}

/** The shards' text by key, for the shard hashes of the build the columns were written with. */
export function takeShards(
  sections: ReadonlyMap<string, Section>,
  shards: readonly string[],
): Map<string, string> {
  const texts = takeStrings(sections, 'shards.texts');
  if (texts.length !== shards.length) throw new StateFileError('shards do not match the build');
  return new Map(shards.map((hash, i) => [shardKey(hash), texts[i] as string]));
}

/**
 * A restored job's renderer. A restored job stands for a document the last build stored,
 * with the same input hash: the build keeps its value and never renders it (build-site.ts
 * restores only when the store holds every value, or with --changed-only); a document that
 * must be rendered is planned again (replanEdited) and has a real renderer.
 */
function notRenderable(): Buffer[] {
  throw new Error('internal: a document restored from the build cache was rendered');
}
