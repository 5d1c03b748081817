import { Worker } from 'node:worker_threads';

/** Strings joined, as bytes in an encoding Buffer decodes, and each one's length. */
export type JoinedStrings = {
  bytes: Uint8Array;
  encoding: 'latin1' | 'utf8' | 'utf16le';
  lengths: Uint32Array;
};

/**
 * What a stat thread is given: the seeds folder, and each seed's name and signature then,
 * as joined bytes (copied across threads as a block: an array of 100,000 strings is cloned
 * one by one, and even one long string took a third of a second to post).
 */
export type StatRequest = { root: string; names: JoinedStrings; signatures: JoinedStrings };

/**
 * Stats the seeds a restored build names, in a thread, and resolves to the indices of
 * those whose signature (seed-signature.ts) is not the one given: a new process needs one
 * stat per seed to notice an edit, and on two cores they overlap decoding the cache.
 */
export function statSeedsInThread(request: StatRequest): {
  changed: Promise<Int32Array>;
  stop: () => void;
} {
  const worker = new Worker(new URL('./stat-seeds-worker.ts', import.meta.url));
  const changed = new Promise<Int32Array>((resolve, reject) => {
    worker.once('message', (indices: Int32Array) => {
      resolve(indices);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`seed stat thread exited with code ${code}`)));
  });
  // A rejection nobody awaits (the thread stopped because the listing changed) is no error.
  changed.catch(() => {});
  // Only the columns' own bytes and lengths: posting a view clones the whole buffer under it
  // (here the 50 MB cache file, once per view), so each is copied out first and then moved,
  // not cloned again.
  const own = (column: JoinedStrings) => ({
    encoding: column.encoding,
    bytes: column.bytes.slice(),
    lengths: column.lengths.slice(),
  });
  const names = own(request.names);
  const signatures = own(request.signatures);
  worker.postMessage({ root: request.root, names, signatures } satisfies StatRequest, [
    names.bytes.buffer,
    names.lengths.buffer,
    signatures.bytes.buffer,
    signatures.lengths.buffer,
  ]);
  return { changed, stop: () => void worker.terminate() };
}
