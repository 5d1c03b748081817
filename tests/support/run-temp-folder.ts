// Root globalSetup (vitest.config.ts), first of all: one temporary folder per `npm test`,
// removed when the run ends. TMPDIR points into it for vitest's workers and every process
// they start (os.tmpdir() reads it on each call), so each folder a test makes with mkdtemp —
// seed folders, builds, local stores, npm start's, wrangler's and chromium's — goes away
// with the run, also when a test failed before its own cleanup. Without it a run left
// hundreds of folders in /tmp (some of 79 MB: the 20,000-file seed folders), and /tmp grew by
// gigabytes a day of runs.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default async function runTempFolder() {
  const previous = process.env.TMPDIR;
  const dir = await mkdtemp(join(tmpdir(), 'edgefeed-test-run-'));
  process.env.TMPDIR = dir;
  return async () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    await rm(dir, { recursive: true, force: true });
  };
}
