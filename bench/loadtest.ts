// npm run loadtest: a bounded local load test of the worker under `wrangler dev` (issue 5).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadLocalBuild } from '../tests/support/load-local-build.ts';
import { runControl } from './control-run.ts';
import {
  formatReport,
  judge,
  MAX_GROWTH_RATIO,
  MB_PER_1000_SLACK,
  writeResults,
} from './loadtest-report.ts';
import { measureLoad, WARM_UP_SECONDS } from './measure-load.ts';
import { buildCorpus, exists, generatorPath, prepareCorpus } from './prepare-corpus.ts';
import type { PoolName } from './traffic-mix.ts';
import {
  applyLocalD1Migrations,
  startWranglerDev,
  stopWranglerDev,
  waitForHealthy,
} from './wrangler-dev.ts';

const REPO_ROOT = new URL('..', import.meta.url).pathname;
/** Seconds of load against the no-op control worker. */
const CONTROL_SECONDS = 10;

const USAGE = `npm run loadtest -- [--count N] [--seed S] [--duration SECONDS] [--connections N]

Generates (once, cached under the OS temp dir) a corpus of N seeds with
../shared/tools/gen-corpus.mjs, builds it, loads it into a private local KV store and
serves it with \`wrangler dev\` on 127.0.0.1 (a free port). Then: raw hostile probes; a
${WARM_UP_SECONDS} s warm-up over every feed; the measured run with autocannon (60% feed 200s,
25% conditional 304s, 15% 404s) while workerd's RSS is sampled every second; and a
${CONTROL_SECONDS} s control run against a no-op worker under the same \`wrangler dev\`, whose
memory growth per request is the dev runtime's own. At most 60 s of load in all.
Prints requests/s, p50/p99 latency, status classes, errors and RSS in the first and last
10 s; writes bench/results/loadtest-<date>.json. Exit 1 on any connection error, 5xx,
status other than planned, raw probe answered 5xx where the control is not, or memory
growth per request over ${MAX_GROWTH_RATIO}x the control's (+${MB_PER_1000_SLACK} MB per 1,000).

  --count N          seeds in the generated corpus (default 5000)
  --seed S           generator seed (default 1)
  --duration SECONDS measured run, 20-35 (default 30)
  --connections N    concurrent connections (default 32)
  --only POOL        send one kind of request only: feeds, conditional or missing`;

type Options = {
  count: number;
  seed: number;
  duration: number;
  connections: number;
  only: PoolName | undefined;
};

const POOLS: readonly PoolName[] = ['feeds', 'conditional', 'missing'];

function parseOptions(argv: string[]): Options | 'help' {
  const { values } = parseArgs({
    args: argv,
    options: {
      count: { type: 'string', default: '5000' },
      seed: { type: 'string', default: '1' },
      duration: { type: 'string', default: '30' },
      connections: { type: 'string', default: '32' },
      only: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) return 'help';
  const number = (name: string, text: string, min: number, max: number) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`--${name} must be a whole number from ${min} to ${max} (got "${text}")`);
    }
    return value;
  };
  const only = POOLS.find((pool) => pool === values.only);
  if (values.only !== undefined && only === undefined) {
    throw new Error(`--only must be one of ${POOLS.join(', ')} (got "${values.only}")`);
  }
  return {
    only,
    count: number('count', values.count, 10, 100_000),
    seed: number('seed', values.seed, 0, 2 ** 31),
    duration: number('duration', values.duration, 20, 35),
    connections: number('connections', values.connections, 1, 256),
  };
}

async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv);
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (!(await exists(generatorPath(REPO_ROOT)))) {
    console.log(`loadtest: skipped: ${generatorPath(REPO_ROOT)} is missing (../shared not here)`);
    return 0;
  }
  const step = stepTimer();
  const corpus = await prepareCorpus({ repoRoot: REPO_ROOT, ...options });
  step(
    `corpus: ${options.count} seeds in ${corpus.seedsDir}${corpus.generated ? ' (generated)' : ' (cached)'}`,
  );
  const build = await buildCorpus(REPO_ROOT, corpus, 'http://127.0.0.1:8787');
  step(
    `build ${build.record.buildId}: ${build.manifest.size} documents, ${build.values.size} values`,
  );
  const load = await loadLocalBuild(build, {
    configPath: join(REPO_ROOT, 'wrangler.toml'),
    persistTo: corpus.stateDir,
  });
  step(`kv: ${load.written} values written, ${load.present} already stored, pointer switched`);

  // Reader statistics count as in production (their D1 tables in place); polite polling is
  // off: every request here comes from one client, which it would rightly answer with 429s.
  await applyLocalD1Migrations(REPO_ROOT, corpus.stateDir);
  const server = await startWranglerDev(REPO_ROOT, corpus.stateDir, undefined, [
    '--var',
    'POLITE_POLLING:false',
  ]);
  const stopOnSignal = () => {
    void stopWranglerDev(server).then(() => process.exit(130));
  };
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  let measured: Awaited<ReturnType<typeof measureLoad>>;
  try {
    const health = await waitForHealthy(server, 60_000);
    step(`wrangler dev: ${server.origin} healthy (${JSON.stringify(health).slice(0, 100)}…)`);
    measured = await measureLoad(server, options, step);
  } finally {
    await stopWranglerDev(server);
    process.off('SIGINT', stopOnSignal);
    process.off('SIGTERM', stopOnSignal);
  }
  step('measured run done');
  const control = await runControl(
    REPO_ROOT,
    corpus.stateDir,
    options.connections,
    CONTROL_SECONDS,
  );
  step('control run done');

  const failures = judge(measured, control);
  const file = await writeResults(REPO_ROOT, {
    date: new Date().toISOString(),
    command: `npm run loadtest -- ${argv.join(' ')}`.trim(),
    node: process.version,
    corpus: { seeds: options.count, seed: options.seed, kvEntries: build.values.size + 1 },
    connections: options.connections,
    durationSeconds: measured.run.duration,
    requests: measured.run.requests.total,
    requestsPerSecond: Math.round(measured.run.requests.average),
    latencyMs: {
      p50: measured.run.latency.p50,
      p99: measured.run.latency.p99,
      max: measured.run.latency.max,
    },
    statusClasses: {
      '2xx': measured.run['2xx'],
      '3xx': measured.run['3xx'],
      '4xx': measured.run['4xx'],
      '5xx': measured.run['5xx'],
    },
    statusCodes: measured.run.statusCodeStats,
    errors: measured.run.errors,
    timeouts: measured.run.timeouts,
    unexpectedStatuses: measured.unexpected,
    warmUp: measured.warmUp,
    workerdRss: measured.rss,
    control,
    rawProbes: measured.probes,
    failures,
  });
  console.log(formatReport(measured, control, options.connections));
  console.log(`results: ${file}`);
  if (failures.length > 0) {
    console.error(`loadtest: FAILED: ${failures.join('; ')}`);
    return 1;
  }
  console.log('loadtest: ok (no errors, no 5xx, every status as planned, memory as the control)');
  return 0;
}

function stepTimer() {
  let last = performance.now();
  return (line: string) => {
    const now = performance.now();
    console.log(`${line}  [${((now - last) / 1000).toFixed(1)} s]`);
    last = now;
  };
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`loadtest: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
