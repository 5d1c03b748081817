import type { BuildRecord } from '../../core/build-record.ts';
import type { ManifestEntry } from '../../core/manifest.ts';
import { DOCUMENT_TYPES } from '../../core/media-types.ts';
import { findDocument } from './find-document.ts';
import { readContent } from './read-content.ts';

export type StoredDocument = { entry: ManifestEntry; contentType: string; body: ArrayBuffer };

/**
 * A document of a given build, whole: what a GET of the path returns while that build is
 * served (used where the bytes themselves are sent on, e.g. WebSub distribution).
 */
export async function readStoredDocument(
  kv: KVNamespace,
  build: BuildRecord,
  path: string,
): Promise<StoredDocument | undefined> {
  const entry = await findDocument(kv, build, path);
  if (entry === undefined) return undefined;
  const body = await new Response(await readContent(kv, entry[0])).arrayBuffer();
  return { entry, contentType: DOCUMENT_TYPES[entry[2]], body };
}
