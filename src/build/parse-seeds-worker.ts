// Worker thread of parseSeeds: processes one slice of the seed list and posts the outcomes
// as one JSON string; cloning 50,000 small objects through postMessage took longer than
// parsing them did, and JSON.parse on the main thread takes a fraction of that.
import { parentPort, workerData } from 'node:worker_threads';
import type { SeedFile } from './find-seed-files.ts';
import { processSeed } from './process-seed.ts';

type Job = { files: SeedFile[]; prior: (string | undefined)[] };

const { files, prior } = workerData as Job;
const t0 = performance.now();
const outcomes = files.map((seed, i) => processSeed(seed, prior[i]));
const t1 = performance.now();
const json = JSON.stringify(outcomes);
if (process.env.EDGEFEED_TIMING === '1')
  process.stderr.write(
    `timing  thread: ${files.length} seeds in ${Math.round(t1 - t0)} ms, serialised in ${Math.round(performance.now() - t1)} ms\n`,
  );
parentPort?.postMessage(json);
