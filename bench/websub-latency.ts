// WebSub end to end under `wrangler dev`, measured: how long from a deploy's switch to the
// subscriber's receipt of the POST, and what a subscriber whose callback fails sees. It does
// not use `npm start` or `npm run deploy -- --local` (other parts of issue #12): it loads two
// builds of the test fixture site into a local store itself (wrangler kv/d1 --local), starts
// wrangler dev on it, and plays the deploy's part by calling POST /_edgefeed/deployed.
//   node bench/websub-latency.ts [--rounds N] [--failing-seconds S]
import { spawn } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { captureWrangler, REPO_ROOT } from '../scripts/run-build.ts';
import { compileBuild } from '../src/compile/compile-build.ts';
import type { BuildPointer, BuildRecord } from '../src/core/build-record.ts';
import { POINTER_KEY } from '../src/core/store-keys.ts';
import { startWebSubSubscriber, verifySignature } from '../tests/support/websub-subscriber.ts';
import { freePort } from './wrangler-dev.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string' }, 'failing-seconds': { type: 'string' } },
});
const ROUNDS = Number(values.rounds ?? '5');
const FAILING_SECONDS = Number(values['failing-seconds'] ?? '200');
const TOKEN = `bench-${crypto.randomUUID()}`;
const SECRET = 'websub-latency secret';

const work = await mkdtemp(join(tmpdir(), 'edgefeed-websub-'));
const persist = join(work, 'state');
const seeds = join(work, 'seeds');
await cp(join(REPO_ROOT, 'tests/fixtures/site'), seeds, { recursive: true });
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;

async function wrangler(args: string[]): Promise<string> {
  const result = await captureWrangler(args);
  if (result.code !== 0) throw new Error(`wrangler ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

/** Builds `seeds` and writes its values into the local FEEDS namespace; returns its record. */
async function buildAndLoad(round: number): Promise<BuildRecord> {
  const { build } = await compileBuild({
    seedsDir: seeds,
    outDir: join(work, `out-${round}`),
    siteUrl: origin,
    taxonomyDir: undefined,
    pageSize: 50,
    skipInvalid: false,
    configPath: join(REPO_ROOT, 'edgefeed.config.json'),
    quiet: true,
  });
  const file = join(work, `values-${round}.json`);
  await writeFile(file, JSON.stringify([...build.values].map(([key, value]) => ({ key, value }))));
  await wrangler([
    'kv',
    'bulk',
    'put',
    file,
    '--binding',
    'FEEDS',
    '--local',
    '--persist-to',
    persist,
  ]);
  return build.record;
}

let pointer: BuildPointer | undefined;
async function switchTo(record: BuildRecord): Promise<void> {
  const switchedAt = new Date().toISOString();
  const kept = (pointer?.builds ?? []).map((b, i) =>
    i === 0 ? { ...b, retiredAt: switchedAt } : b,
  );
  pointer = { version: 1, current: record.buildId, builds: [{ ...record, switchedAt }, ...kept] };
  const file = join(work, 'pointer.json');
  await writeFile(file, JSON.stringify([{ key: POINTER_KEY, value: JSON.stringify(pointer) }]));
  await wrangler([
    'kv',
    'bulk',
    'put',
    file,
    '--binding',
    'FEEDS',
    '--local',
    '--persist-to',
    persist,
  ]);
}

async function addArticle(round: number): Promise<void> {
  const date = new Date(Date.UTC(2022, 0, 1 + round)).toISOString();
  await writeFile(
    join(seeds, `900-round-${round}.md`),
    `---\ntitle: "Round ${round}"\npublishedDateTime: ${date}\nwebUrl: "https://example.com/round/${round}"\nprovider:\n  name: Example News\n  domain: example.com\ntopics:\n  - AI\n---\n`,
  );
}

let first = await buildAndLoad(0);
await switchTo(first);
await wrangler(['d1', 'migrations', 'apply', 'edgefeed', '--local', '--persist-to', persist]);

const dev = spawn(
  process.execPath,
  [
    join(REPO_ROOT, 'node_modules/wrangler/bin/wrangler.js'),
    ...['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persist],
    ...['--inspector-port', String(await freePort()), '--log-level', 'warn'],
    ...['--var', 'HUB_ALLOW_LOOPBACK:true', '--var', `DEPLOY_TOKEN:${TOKEN}`],
    '--show-interactive-dev-session=false',
  ],
  { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
);
let devLog = '';
dev.stdout?.on('data', (chunk: Buffer) => {
  devLog += chunk.toString();
});
dev.stderr?.on('data', (chunk: Buffer) => {
  devLog += chunk.toString();
});
const subscriber = await startWebSubSubscriber();
try {
  for (let i = 0; ; i++) {
    if (i > 300) throw new Error(`wrangler dev did not start:\n${devLog}`);
    const ok = await fetch(`${origin}/hub`).then(
      (r) => r.status === 405,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const topics = [`${origin}/rss.xml`, `${origin}/topics/ai/atom.xml`, `${origin}/feed.json`];
  for (const topic of topics) {
    const response = await subscriber.subscribe(`${origin}/hub`, topic, { secret: SECRET });
    if (response.status !== 202) throw new Error(`subscribe ${topic}: ${response.status}`);
  }
  await subscriber.waitFor((s) => s.verifications.filter((v) => v.confirmed).length === 3);
  console.log(`subscribed to ${topics.length} topics on ${origin}`);

  const latencies: number[][] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    await addArticle(round);
    const next = await buildAndLoad(round);
    await switchTo(next);
    const before = subscriber.deliveries.length;
    const switched = performance.timeOrigin + performance.now();
    const response = await fetch(`${origin}/_edgefeed/deployed`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ previous: first.buildId, current: next.buildId }),
    });
    const summary = await response.text();
    if (response.status !== 202) throw new Error(`trigger: ${response.status} ${summary}`);
    await subscriber.waitFor((s) => s.deliveries.length >= before + 3, 30_000);
    const got = subscriber.deliveries.slice(before);
    for (const delivery of got) {
      const signature = delivery.headers['x-hub-signature'];
      if (!verifySignature(delivery.body, String(signature), SECRET))
        throw new Error('bad signature');
    }
    latencies.push(got.map((d) => Math.round(d.at - switched)));
    console.log(`round ${round}: ${summary.trim()} → ${latencies.at(-1)?.join(', ')} ms`);
    first = next;
  }
  const all = latencies.flat().sort((a, b) => a - b);
  console.log(
    `latency switch → POST received, ${all.length} deliveries: min ${all[0]} ms, median ${all[Math.floor(all.length / 2)]} ms, max ${all.at(-1)} ms`,
  );

  // A subscriber whose callback fails: what it sees over time.
  subscriber.answerDeliveriesWith(`${origin}/rss.xml`, 503);
  await addArticle(ROUNDS + 1);
  const failing = await buildAndLoad(ROUNDS + 1);
  await switchTo(failing);
  const start = performance.timeOrigin + performance.now();
  const before = subscriber.deliveries.length;
  await fetch(`${origin}/_edgefeed/deployed`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ previous: first.buildId, current: failing.buildId }),
  });
  await new Promise((r) => setTimeout(r, FAILING_SECONDS * 1000));
  const attempts = subscriber.deliveries
    .slice(before)
    .filter((d) => d.name === `${origin}/rss.xml`)
    .map((d) => ((d.at - start) / 1000).toFixed(1));
  console.log(`failing callback (503): attempts at ${attempts.join(', ')} s after the switch`);

  // Unsubscribe everything: the next deploy delivers nothing.
  subscriber.answerDeliveriesWith(`${origin}/rss.xml`, 204);
  for (const topic of topics) await subscriber.unsubscribe(`${origin}/hub`, topic);
  await subscriber.waitFor(
    (s) => s.verifications.filter((v) => v.mode === 'unsubscribe' && v.confirmed).length === 3,
  );
  await addArticle(ROUNDS + 2);
  const last = await buildAndLoad(ROUNDS + 2);
  await switchTo(last);
  const quiet = subscriber.deliveries.filter((d) => d.name !== `${origin}/rss.xml`).length;
  const final = await fetch(`${origin}/_edgefeed/deployed`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify({ previous: failing.buildId, current: last.buildId }),
  });
  console.log(`after unsubscribing: ${(await final.text()).trim()}`);
  await new Promise((r) => setTimeout(r, 3000));
  const after = subscriber.deliveries.filter((d) => d.name !== `${origin}/rss.xml`).length;
  console.log(`deliveries after unsubscribing: ${after - quiet}`);
} finally {
  await subscriber.close();
  if (dev.pid !== undefined) process.kill(-dev.pid, 'SIGTERM');
  await rm(work, { recursive: true, force: true });
}
