// Worker thread of parseSeeds: reads one slice of the seed list and posts the outcomes as
// one JSON string; cloning 50,000 small objects through postMessage took longer than
// parsing them did, and JSON.parse on the main thread takes a fraction of that.
import { parentPort, workerData } from 'node:worker_threads';
import type { SeedFile } from './find-seed-files.ts';
import { processSeed } from './process-seed.ts';

const { files } = workerData as { files: SeedFile[] };
parentPort?.postMessage(JSON.stringify(files.map((seed) => processSeed(seed))));
