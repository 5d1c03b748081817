// Worker thread of parseSeeds: reads one slice of the seed list and posts the outcomes in
// batches, each as one JSON string. Cloning 50,000 small objects through postMessage took
// longer than parsing them; one string per batch is cheap to send and to JSON.parse, and
// batches keep neither thread holding a whole slice's worth of text at once.
import { parentPort } from 'node:worker_threads';
import type { SeedFile } from './find-seed-files.ts';
import { processSeed } from './process-seed.ts';

/** Outcomes per message: small batches keep both heaps small (see PARSER_HEAP_MB). */
const BATCH = 500;
// The thread starts before its share of seeds is known (startParsers), and gets it once.
parentPort?.once('message', (files: SeedFile[]) => {
  for (let i = 0; i < files.length; i += BATCH) {
    parentPort?.postMessage(
      JSON.stringify(files.slice(i, i + BATCH).map((seed) => processSeed(seed))),
    );
  }
  parentPort?.postMessage(null);
});
