// The counting middleware's own cost per request, in one process (V8, as in workerd): one
// Hono app answering a feed's 304 with and without countRequests in front, 100,000
// requests a round, 9 interleaved rounds, the fastest round of each (the least disturbed
// by the rest of the machine). What `wrangler dev`'s proxy hides in worker-cost.ts.
// Run: scripts/use-node.sh node bench/count-requests-cost.ts
import { Hono, type MiddlewareHandler } from 'hono';

const REQUESTS = 100_000;
const ROUNDS = 9;

// Imported by URL: the worker's sources are type-checked against the Workers types
// (src/worker/tsconfig.json), not this Node project's, so tsc must not follow the import.
const source = new URL('../src/worker/stats/count-requests.ts', import.meta.url).href;
const { countRequests } = (await import(source)) as { countRequests: () => MiddlewareHandler };

// A D1 stand-in that takes every batch: writes happen after the response anyway.
const db = { prepare: () => ({ bind: () => ({}) }), batch: async () => [{ results: [] }] };
const env = { DB: db, STATS_ENABLED: 'true', STATS_FLUSH_SECONDS: '3600' };
const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };

function app(counting: boolean): Hono {
  const a = new Hono();
  if (counting) a.use('*', countRequests());
  a.get('*', (c) => c.body(null, 304, { ETag: '"abc"' }));
  return a;
}

async function nsPerRequest(target: Hono, readers: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const request = new Request('https://feeds.test/topics/ai/rss.xml', {
      headers: { 'User-Agent': `Reader/${i % readers}`, 'If-None-Match': '"abc"' },
    });
    await target.fetch(request, env, ctx);
  }
  return ((performance.now() - started) * 1e6) / REQUESTS;
}

const rows: [name: string, target: Hono, readers: number, runs: number[]][] = [
  ['counting off', app(false), 1, []],
  ['counting on, 1 reader', app(true), 1, []],
  ['counting on, 150 readers', app(true), 150, []],
];
for (let round = 0; round < ROUNDS; round++) {
  for (const [, target, readers, runs] of rows) runs.push(await nsPerRequest(target, readers));
}
const base = Math.min(...(rows[0]?.[3] ?? [0]));
for (const [name, , , runs] of rows) {
  const best = Math.min(...runs);
  console.log(`${name.padEnd(26)} ${Math.round(best)} ns/request (+${Math.round(best - base)})`);
}
// The middleware's timed write (an hour away here) must not keep the process alive.
process.exit(0);
