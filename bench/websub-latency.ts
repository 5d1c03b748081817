// WebSub end to end through the user's own commands, measured: `npm start` on a free port
// and a private store, a subscriber on 127.0.0.1 subscribed with a secret to /rss.xml,
// /topics/ai/atom.xml and /feed.json, then rounds of `npm run deploy -- --local` that each
// add an article. Per delivery: the time from the switch (the first /healthz, which reads the
// pointer fresh, naming the new build; polled every 20 ms) and from the deploy command's
// exit to the POST received. Then what a subscriber whose callback answers 503 sees over
// time, and that after unsubscribing a deploy delivers nothing.
//   node bench/websub-latency.ts [--rounds N] [--failing-seconds S]
import { cp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { REPO_ROOT } from '../scripts/run-build.ts';
import { runScript, startNpmStart } from '../tests/support/npm-start.ts';
import { tempDir } from '../tests/support/publish-fixtures.ts';
import { startWebSubSubscriber, verifySignature } from '../tests/support/websub-subscriber.ts';

const { values } = parseArgs({
  options: { rounds: { type: 'string' }, 'failing-seconds': { type: 'string' } },
});
const ROUNDS = Number(values.rounds ?? '10');
const FAILING_SECONDS = Number(values['failing-seconds'] ?? '200');
const SECRET = 'websub-latency secret';
const now = () => performance.timeOrigin + performance.now();

const work = await tempDir('websub-latency');
const seeds = join(work, 'seeds');
await cp(join(REPO_ROOT, 'tests/fixtures/site'), seeds, { recursive: true });
const flags = [
  ...['--seeds', seeds, '--out', join(work, 'out'), '--cache-dir', join(work, 'cache')],
  '--quiet',
];
const persistTo = join(work, 'state');

async function addArticle(round: number): Promise<string> {
  const title = `Round ${round}`;
  const date = new Date(Date.UTC(2022, 0, 1 + round)).toISOString();
  await writeFile(
    join(seeds, `900-round-${round}.md`),
    `---\ntitle: "${title}"\npublishedDateTime: ${date}\nwebUrl: "https://example.com/round/${round}"\nprovider:\n  name: Example News\n  domain: example.com\ntopics:\n  - AI\n---\n`,
  );
  return title;
}

const server = await startNpmStart(flags, persistTo);
const { origin } = server;
const subscriber = await startWebSubSubscriber();

/** The served build now: /healthz reads the pointer on every request (a fresh path). */
async function servedBuild(): Promise<string | null> {
  const response = await fetch(`${origin}/healthz`);
  await response.arrayBuffer();
  return response.headers.get('X-Build-Id');
}

/**
 * `npm run deploy -- --local` with the start's flags, while /healthz is polled for the
 * moment the server switches away from `before`.
 */
async function deploy(before: string | null) {
  let switchedAt: number | undefined;
  let running = true;
  const watch = (async () => {
    while (running && switchedAt === undefined) {
      const build = await servedBuild().catch(() => before);
      if (build !== before) switchedAt = now();
      else await delay(20);
    }
  })();
  const startedAt = now();
  const result = await runScript('deploy.ts', ['--local', '--persist-to', persistTo, ...flags]);
  running = false;
  await watch;
  if (result.code !== 0) throw new Error(`deploy --local failed:\n${result.output}`);
  const trigger = /^trigger: .*$/m.exec(result.output)?.[0] ?? '(no trigger line)';
  return { ...result, startedAt, switchedAt: switchedAt ?? Number.NaN, trigger };
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  return `median ${median} ms, range ${sorted[0]}–${sorted.at(-1)} ms`;
};

try {
  const topics = [`${origin}/rss.xml`, `${origin}/topics/ai/atom.xml`, `${origin}/feed.json`];
  for (const topic of topics) {
    const response = await subscriber.subscribe(`${origin}/hub`, topic, { secret: SECRET });
    if (response.status !== 202) throw new Error(`subscribe ${topic}: ${response.status}`);
  }
  await subscriber.waitFor((s) => s.verifications.filter((v) => v.confirmed).length === 3);
  await delay(500); // the hub stores a subscription right after the callback's answer
  console.log(`npm start on ${origin}; subscribed to ${topics.length} topics with a secret`);

  const fromSwitch: number[] = [];
  const fromExit: number[] = [];
  let build = await servedBuild();
  for (let round = 1; round <= ROUNDS; round++) {
    const title = await addArticle(round);
    const before = subscriber.deliveries.length;
    const deployed = await deploy(build);
    await subscriber.waitFor((s) => s.deliveries.length >= before + 3, 30_000);
    const got = subscriber.deliveries.slice(before);
    for (const delivery of got) {
      const signature = String(delivery.headers['x-hub-signature']);
      if (!verifySignature(delivery.body, signature, SECRET)) throw new Error('bad signature');
      if (!delivery.body.includes(title)) throw new Error(`${delivery.name} lacks "${title}"`);
    }
    fromSwitch.push(...got.map((d) => Math.round(d.at - deployed.switchedAt)));
    fromExit.push(...got.map((d) => Math.round(d.at - deployed.endedAt)));
    console.log(
      `round ${round}: ${deployed.trigger}; deploy ${((deployed.endedAt - deployed.startedAt) / 1000).toFixed(1)} s, switch at +${((deployed.switchedAt - deployed.startedAt) / 1000).toFixed(1)} s; POSTs ${got.map((d) => Math.round(d.at - deployed.switchedAt)).join(', ')} ms after the switch`,
    );
    build = await servedBuild();
  }
  console.log(`${ROUNDS} rounds, ${fromSwitch.length} deliveries, every signature valid`);
  console.log(`  switch → POST received: ${summary(fromSwitch)}`);
  console.log(`  deploy command's exit → POST received: ${summary(fromExit)}`);

  // A subscriber whose callback fails: what it sees over time.
  const failing = `${origin}/rss.xml`;
  subscriber.answerDeliveriesWith(failing, 503);
  await addArticle(ROUNDS + 1);
  const before = subscriber.deliveries.length;
  const deployed = await deploy(build);
  build = await servedBuild();
  await delay(Math.max(0, FAILING_SECONDS * 1000 - (now() - deployed.switchedAt)));
  const attempts = subscriber.deliveries
    .slice(before)
    .filter((d) => d.name === failing)
    .map((d) => ((d.at - deployed.switchedAt) / 1000).toFixed(1));
  console.log(
    `failing callback (503) on ${failing}: attempts at ${attempts.join(', ')} s after the switch (watched ${FAILING_SECONDS} s)`,
  );

  // Unsubscribe everything: the next deploy delivers nothing.
  subscriber.answerDeliveriesWith(failing, 204);
  for (const topic of topics) await subscriber.unsubscribe(`${origin}/hub`, topic);
  await subscriber.waitFor(
    (s) => s.verifications.filter((v) => v.mode === 'unsubscribe' && v.confirmed).length === 3,
  );
  await delay(500);
  await addArticle(ROUNDS + 2);
  const quietFrom = subscriber.deliveries.length;
  const last = await deploy(build);
  await delay(8000);
  const late = subscriber.deliveries.slice(quietFrom).filter((d) => d.at > last.startedAt);
  console.log(`after unsubscribing: ${last.trigger}; ${late.length} POSTs within 8 s`);
} finally {
  await subscriber.close();
  await server.stop();
  await rm(work, { recursive: true, force: true });
}
