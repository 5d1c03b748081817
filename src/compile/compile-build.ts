import type { DocumentType } from '../core/media-types.ts';
import { contentKey } from '../core/store-keys.ts';
import type { BuildReport } from './build-report.ts';
import { emptyState } from './cache/build-cache.ts';
import { compileSite, loadSiteInputs, reportOf } from './compile-site.ts';
import type { BuildOptions } from './parse-build-args.ts';
import { type AssembledBuild, assembleBuild } from './store/assemble-build.ts';
import { checkValueSize } from './store/check-value-size.ts';
import { contentHash } from './store/content-hash.ts';

/** A document as a build made it: where, what, since when, and its bytes as text. */
export type BuiltDocument = {
  path: string;
  type: DocumentType;
  /** Epoch ms of the newest item shown. */
  updated: number;
  hash: string;
  /** The body as UTF-8 text (meaningless for the binary icons: read `bytes`). */
  body: string;
  bytes: Buffer;
};

export type CompiledBuild = {
  /** Every document, sorted by path. */
  documents: BuiltDocument[];
  /** The same documents as a content-addressed build: its record, shards and every value. */
  build: AssembledBuild & { values: Map<string, string> };
  report: BuildReport;
  ok: boolean;
};

/**
 * seeds/ → every document of the URL table, in memory, as a content-addressed build. For
 * tests and small sites; the command line writes to the store (build-site.ts). Pure with
 * respect to the clock: the same seeds and options give the same bytes.
 */
export async function compileBuild(options: BuildOptions): Promise<CompiledBuild> {
  const started = performance.now();
  const inputs = await loadSiteInputs(options);
  const compiled = await compileSite(options, inputs, emptyState(''));
  const documents = new Map<string, BuiltDocument>();
  const values = new Map<string, string>();
  let bytes = 0;
  for (const source of compiled.sources) {
    const body = Buffer.concat(source.render());
    checkValueSize(source.path, body.length);
    const hash = contentHash(body);
    const text = body.toString('utf8');
    values.set(contentKey(hash), text);
    documents.set(source.path, {
      path: source.path,
      type: source.type,
      updated: source.updated,
      hash,
      body: text,
      bytes: body,
    });
    bytes += body.length;
  }
  const assembled = assembleBuild(documents, compiled.facts);
  for (const [key, text] of assembled.shards) values.set(key, text);
  const sorted = [...documents.values()].sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
  );
  return {
    documents: sorted,
    build: { ...assembled, values },
    report: reportOf(compiled, documents.size, bytes, started),
    ok: compiled.problems.length === 0,
  };
}
