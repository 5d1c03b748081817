import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SeedFile } from './find-seed-files.ts';
import { processSeed, type SeedOutcome } from './process-seed.ts';

/** Below this many seeds, starting threads costs more than it saves. */
const PARALLEL_THRESHOLD = 1500;
/** More threads than this only contend for the disk and memory bandwidth. */
const MAX_THREADS = 4;

/**
 * Every seed's outcome, in the order given. Large folders are split across worker
 * threads, one contiguous slice each, so all cores parse YAML at once.
 */
export async function parseSeeds(
  files: SeedFile[],
  priorSignature: (file: string) => string | undefined,
): Promise<SeedOutcome[]> {
  const prior = files.map((f) => priorSignature(f.name));
  const threads = Math.min(MAX_THREADS, availableParallelism());
  if (files.length < PARALLEL_THRESHOLD || threads < 2) {
    return files.map((seed, i) => processSeed(seed, prior[i]));
  }
  const size = Math.ceil(files.length / threads);
  const slices = Array.from({ length: threads }, (_, t) => ({
    files: files.slice(t * size, (t + 1) * size),
    prior: prior.slice(t * size, (t + 1) * size),
  }));
  const results = await Promise.all(slices.map(runSlice));
  return results.flat();
}

function runSlice(job: {
  files: SeedFile[];
  prior: (string | undefined)[];
}): Promise<SeedOutcome[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./parse-seeds-worker.ts', import.meta.url), {
      workerData: job,
    });
    worker.once('message', (json: string) => {
      resolve(JSON.parse(json) as SeedOutcome[]);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`seed parser thread exited with code ${code}`));
    });
  });
}
