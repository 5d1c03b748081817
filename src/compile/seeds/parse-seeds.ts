import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SeedFile } from './find-seed-files.ts';
import { processSeed, type SeedOutcome } from './process-seed.ts';
import { seedSignature } from './seed-signature.ts';

/** Below this many seeds to read, starting threads costs more than it saves. */
const PARALLEL_THRESHOLD = 1500;
/** More threads than this only contend for the disk and memory bandwidth. */
const MAX_THREADS = 4;
/** Old-generation heap of a parser thread, in MiB. */
const PARSER_HEAP_MB = 256;
/**
 * Young generation of a parser thread, in MiB. Parsing makes garbage fast and V8 grew each
 * thread's new space to 128 MiB, which it keeps pooled after the thread ends (released
 * only by the main isolate's memory reducer, seconds later): 100k-seed builds peaked over
 * 1 GB. At 48 the peak is about 800 MiB; smaller cost parse time (16 MiB: +40% CPU).
 */
const PARSER_YOUNG_MB = 48;

/**
 * Every seed's outcome, in the order given. Seeds `trusted` to be unchanged (a watching
 * build's seeds that no event named) are reused as they are; seeds whose signature matches
 * the cache are only stat'ed (here, which is cheaper than shipping 100,000 names to threads); the rest
 * are read, and a large batch is split across worker threads so all cores parse YAML.
 */
export async function parseSeeds(
  files: SeedFile[],
  priorSignature: (file: string) => string | undefined,
  trusted: (file: string) => boolean = () => false,
  early?: ParserThreads,
): Promise<SeedOutcome[]> {
  const outcomes: (SeedOutcome | undefined)[] = files.map((seed) => {
    const prior = priorSignature(seed.name);
    if (!prior) return undefined;
    if (trusted(seed.name)) return { file: seed.name, signature: prior, status: 'reused' };
    try {
      const signature = seedSignature(statSync(seed.path, { bigint: true }));
      return signature === prior ? { file: seed.name, signature, status: 'reused' } : undefined;
    } catch {
      return undefined; // readSeed will say what is wrong with it
    }
  });
  const todo = files.filter((_, i) => outcomes[i] === undefined);
  const read = await readAll(todo, early);
  let next = 0;
  return outcomes.map((o) => o ?? (read[next++] as SeedOutcome));
}

/** Parser threads, possibly started before the seed list was complete (`startParsers`). */
export type ParserThreads = { workers: Worker[] };

/** How many seeds to read make parser threads worth starting. */
export function parserThreshold(): number {
  // EDGEFEED_PARSE_THREADS_FROM lowers the threshold so that a test can run the threaded
  // path on a small folder (tests/compile/parse-threads.test.ts).
  return Number(process.env.EDGEFEED_PARSE_THREADS_FROM ?? PARALLEL_THRESHOLD);
}

/**
 * Starts the parser threads, which then wait for their share of the seeds. A thread takes
 * ~0.2 s to load its modules: a cold build starts them while it is still listing the
 * folder (compile-site.ts), so that time overlaps the listing.
 */
export function startParsers(): ParserThreads | undefined {
  const threads = Math.min(MAX_THREADS, availableParallelism());
  if (threads < 2) return undefined;
  const workers = Array.from(
    { length: threads },
    () =>
      new Worker(new URL('./parse-seeds-worker.ts', import.meta.url), {
        // A parser thread holds one seed (≤ 1 MiB) and one batch of results at a time; a
        // small heap makes V8 collect early instead of growing toward its default limit,
        // which kept a 100k-seed build's peak above 1 GB.
        resourceLimits: {
          maxOldGenerationSizeMb: PARSER_HEAP_MB,
          maxYoungGenerationSizeMb: PARSER_YOUNG_MB,
        },
      }),
  );
  // Unreferenced until given work, so that a build that fails before then can still exit.
  for (const w of workers) w.unref();
  return { workers };
}

/** Ends threads that were started but are not needed after all. */
export function stopParsers(parsers: ParserThreads | undefined): void {
  for (const w of parsers?.workers ?? []) void w.terminate();
}

async function readAll(files: SeedFile[], early?: ParserThreads): Promise<SeedOutcome[]> {
  if (files.length < parserThreshold()) {
    stopParsers(early);
    return files.map((seed) => processSeed(seed));
  }
  const parsers = early ?? startParsers();
  if (!parsers) return files.map((seed) => processSeed(seed));
  const threads = parsers.workers.length;
  const size = Math.ceil(files.length / threads);
  return (
    await Promise.all(
      parsers.workers.map((worker, t) => runSlice(worker, files.slice(t * size, (t + 1) * size))),
    )
  ).flat();
}

function runSlice(worker: Worker, files: SeedFile[]): Promise<SeedOutcome[]> {
  return new Promise((resolve, reject) => {
    const outcomes: SeedOutcome[] = [];
    let done = false;
    worker.on('message', (batch: string | null) => {
      if (batch === null) done = true;
      else for (const outcome of JSON.parse(batch) as SeedOutcome[]) outcomes.push(outcome);
    });
    worker.once('error', reject);
    // Resolved once the thread has ended by itself after its last batch: its heap is then
    // free for rendering, the build's peak of memory, to reuse.
    worker.once('exit', (code) => {
      if (code === 0 && done) resolve(outcomes);
      else reject(new Error(`seed parser thread exited with code ${code}`));
    });
    worker.ref();
    worker.postMessage(files);
  });
}
