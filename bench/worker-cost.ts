// The worker's request cost (issue 6): our worker serving a cached feed and a 304 under
// `wrangler dev` (workerd, local KV), next to a worker that returns a fixed string under
// the same harness. The ratio to that floor says how much work the request path adds.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { compileBuild } from '../src/compile/compile-build.ts';
import { loadLocalBuild } from '../tests/support/load-local-build.ts';
import { startWranglerDev, stopWranglerDev, waitForHealthy } from './wrangler-dev.ts';

export type WorkerCost = {
  seconds: number;
  connections: number;
  requests: number;
  rows: { name: string; perSecond: number; p99Ms: number; ratio: number }[];
};

const SECONDS = 5;
const CONNECTIONS = 16;
const ROUNDS = 3;

export async function measureWorker(repoRoot: string): Promise<WorkerCost> {
  const work = mkdtempSync(join(tmpdir(), 'edgefeed-worker-cost-'));
  const { build } = await compileBuild({
    seedsDir: join(repoRoot, 'tests/fixtures/site'),
    outDir: join(work, 'dist'),
    siteUrl: 'http://127.0.0.1:8787',
    taxonomyDir: undefined,
    pageSize: 50,
    skipInvalid: true,
    configPath: join(repoRoot, 'edgefeed.config.json'),
    quiet: true,
  });
  await loadLocalBuild(build, {
    configPath: join(repoRoot, 'wrangler.toml'),
    persistTo: join(work, 'state'),
  });
  writeFileSync(
    join(work, 'floor.js'),
    // A fixed string; `/big` answers one as long as the feed, so the body's size is set apart
    // from the work of finding it.
    "export default { fetch(r) { const n = Number(new URL(r.url).searchParams.get('bytes') ?? 2); return new Response('x'.repeat(n)); } };\n",
  );
  writeFileSync(
    join(work, 'floor.toml'),
    'name = "floor"\nmain = "floor.js"\ncompatibility_date = "2026-11-09"\n',
  );

  const ours = await startWranglerDev(repoRoot, join(work, 'state'));
  const floor = await startWranglerDev(
    repoRoot,
    join(work, 'floor-state'),
    join(work, 'floor.toml'),
  );
  try {
    await waitForHealthy(ours, 60_000);
    await waitUntilUp(floor.origin, 60_000);
    const feed = await fetch(`${ours.origin}/rss.xml`);
    const etag = feed.headers.get('etag') ?? '';
    const feedBytes = (await feed.arrayBuffer()).byteLength;
    const run = async (url: string, headers: Record<string, string> = {}) => {
      const r = await autocannon({ url, headers, connections: CONNECTIONS, duration: SECONDS });
      return {
        perSecond: Math.round(r.requests.average),
        p99Ms: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
        total: r.requests.total,
      };
    };
    // Rounds of all four rows, interleaved, and the median of each row's per-round ratio
    // to that round's floor: one pass per row drifted by ±10% with the machine's load.
    const names = [
      'floor (fixed string)',
      `floor, ${feedBytes}-byte string`,
      'cached feed, 200',
      'conditional GET, 304',
    ];
    const rounds: Awaited<ReturnType<typeof run>>[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push([
        await run(`${floor.origin}/`),
        await run(`${floor.origin}/?bytes=${feedBytes}`),
        await run(`${ours.origin}/rss.xml`),
        await run(`${ours.origin}/rss.xml`, { 'if-none-match': etag }),
      ]);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
    return {
      seconds: SECONDS,
      connections: CONNECTIONS,
      requests: rounds.flat().reduce((n, r) => n + r.total, 0),
      rows: names.map((name, i) => ({
        name,
        perSecond: median(rounds.map((r) => r[i]?.perSecond ?? 0)),
        p99Ms: median(rounds.map((r) => r[i]?.p99Ms ?? 0)),
        ratio: median(rounds.map((r) => (r[i]?.perSecond ?? 0) / (r[0]?.perSecond ?? 1))),
      })),
    };
  } finally {
    await stopWranglerDev(ours);
    await stopWranglerDev(floor);
    rmSync(work, { recursive: true, force: true });
  }
}

async function waitUntilUp(origin: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(origin)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${origin} did not answer`);
}
