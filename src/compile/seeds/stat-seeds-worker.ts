// Worker thread of statSeedsInThread: stats every seed a restored build names and answers
// which differ from their signature then, while the main thread decodes the rest of the
// build cache (the two together are most of a new process's rebuild after an edit).
import { statSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { seedPath } from './find-seed-files.ts';
import { seedSignature } from './seed-signature.ts';
import type { JoinedStrings, StatRequest } from './stat-seeds.ts';

parentPort?.once('message', (request: StatRequest) => {
  const names = decode(request.names);
  const signatures = decode(request.signatures);
  const changed: number[] = [];
  let name = 0;
  let signature = 0;
  for (let i = 0; i < request.names.lengths.length; i++) {
    const nameEnd = name + (request.names.lengths[i] ?? 0);
    const signatureEnd = signature + (request.signatures.lengths[i] ?? 0);
    const path = seedPath(request.root, names.slice(name, nameEnd));
    const info = statSync(path, { bigint: true, throwIfNoEntry: false });
    if (info === undefined || seedSignature(info) !== signatures.slice(signature, signatureEnd))
      changed.push(i);
    name = nameEnd;
    signature = signatureEnd;
  }
  parentPort?.postMessage(Int32Array.from(changed));
});

function decode(strings: JoinedStrings): string {
  const { bytes, encoding } = strings;
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding);
}
