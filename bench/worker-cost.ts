// The worker's request cost (issue 6): our worker serving a cached feed and a 304 under
// `wrangler dev` (workerd, local KV), next to a worker that returns a fixed string under
// the same harness. The ratio to that floor says how much work the request path adds.
// Issue 13: the same rows with reader statistics off and on (one build, one store copied
// three ways, three servers differing only in --var), and unconditional fetches that are
// each a new reader: the most reader rows to write, and with polite polling on, one
// Durable Object call each.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { compileBuild } from '../src/compile/compile-build.ts';
import { loadLocalBuild } from '../tests/support/load-local-build.ts';
import {
  applyLocalD1Migrations,
  startWranglerDev,
  stopWranglerDev,
  waitForHealthy,
} from './wrangler-dev.ts';

export type WorkerCost = {
  seconds: number;
  connections: number;
  requests: number;
  rows: { name: string; perSecond: number; p99Ms: number; ratio: number }[];
  /**
   * Requests per second with counting (and polite polling) on over counting off, same
   * document (medians of per-round ratios): one reader, and a new reader every request.
   */
  countingRatios: {
    feed200: number;
    feed304: number;
    newReaders200: number;
    politeNewReaders200: number;
  };
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

  await applyLocalD1Migrations(repoRoot, join(work, 'state'));
  cpSync(join(work, 'state'), join(work, 'state-off'), { recursive: true });
  cpSync(join(work, 'state'), join(work, 'state-polite'), { recursive: true });
  const config = join(repoRoot, 'wrangler.toml');
  const vars = (stats: boolean, polite: boolean) => [
    ...['--var', `STATS_ENABLED:${stats}`, '--var', `POLITE_POLLING:${polite}`],
  ];
  // Counting on, polite polling off: autocannon is one client, which it would stop.
  const ours = await startWranglerDev(repoRoot, join(work, 'state'), config, vars(true, false));
  const off = await startWranglerDev(repoRoot, join(work, 'state-off'), config, vars(false, false));
  const polite = await startWranglerDev(
    repoRoot,
    join(work, 'state-polite'),
    config,
    vars(true, true),
  );
  const floor = await startWranglerDev(
    repoRoot,
    join(work, 'floor-state'),
    join(work, 'floor.toml'),
  );
  try {
    for (const server of [ours, off, polite]) await waitForHealthy(server, 60_000);
    await waitUntilUp(floor.origin, 60_000);
    const feed = await fetch(`${ours.origin}/rss.xml`);
    const etag = feed.headers.get('etag') ?? '';
    const feedBytes = (await feed.arrayBuffer()).byteLength;
    let readers = 0;
    const run = async (url: string, headers: Record<string, string> = {}, newReaders = false) => {
      const r = await autocannon({
        url,
        headers,
        connections: CONNECTIONS,
        duration: SECONDS,
        // A User-Agent of its own per request: a new reader every time.
        ...(newReaders
          ? {
              requests: [
                {
                  setupRequest: (request: autocannon.Request) => {
                    readers += 1;
                    return {
                      ...request,
                      headers: { ...request.headers, 'user-agent': `BenchReader/${readers}` },
                    };
                  },
                },
              ],
            }
          : {}),
      });
      const statuses = Object.keys(r.statusCodeStats ?? {}).join(',');
      if (statuses !== (headers['if-none-match'] ? '304' : '200')) {
        throw new Error(`${url}: statuses ${statuses}, expected only one kind`);
      }
      return {
        perSecond: Math.round(r.requests.average),
        p99Ms: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
        total: r.requests.total,
      };
    };
    // Rounds of every row, interleaved, and the median of each row's per-round ratio
    // to that round's floor: one pass per row drifted by ±10% with the machine's load.
    const names = [
      'floor (fixed string)',
      `floor, ${feedBytes}-byte string`,
      'feed 200, counting off',
      'feed 304, counting off',
      'feed 200, counting on',
      'feed 304, counting on',
      'new readers, counted',
      'new readers, polite polling',
    ];
    const conditional = { 'if-none-match': etag };
    const rounds: Awaited<ReturnType<typeof run>>[][] = [];
    for (let round = 0; round < ROUNDS; round++) {
      rounds.push([
        await run(`${floor.origin}/`),
        await run(`${floor.origin}/?bytes=${feedBytes}`),
        await run(`${off.origin}/rss.xml`),
        await run(`${off.origin}/rss.xml`, conditional),
        await run(`${ours.origin}/rss.xml`),
        await run(`${ours.origin}/rss.xml`, conditional),
        await run(`${ours.origin}/rss.xml`, {}, true),
        await run(`${polite.origin}/rss.xml`, {}, true),
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
      // Counting on against off, per round, same response: the cost counting adds.
      countingRatios: {
        feed200: median(rounds.map((r) => (r[4]?.perSecond ?? 0) / (r[2]?.perSecond ?? 1))),
        feed304: median(rounds.map((r) => (r[5]?.perSecond ?? 0) / (r[3]?.perSecond ?? 1))),
        newReaders200: median(rounds.map((r) => (r[6]?.perSecond ?? 0) / (r[2]?.perSecond ?? 1))),
        politeNewReaders200: median(
          rounds.map((r) => (r[7]?.perSecond ?? 0) / (r[2]?.perSecond ?? 1)),
        ),
      },
    };
  } finally {
    for (const server of [ours, off, polite, floor]) await stopWranglerDev(server);
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
