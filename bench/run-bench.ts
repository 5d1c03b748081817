// npm run bench — build speed and memory at 1k, 10k and 100k generated seeds (cold, and
// incremental after an edit, an addition and a deletion), the KV writes each needs, and
// the worker's request cost against a do-nothing worker; beside the new-process rebuild, a
// process that only lists and stats the seeds (its floor); at the largest size, a CI job's
// deploy after one edit (bench/deploy-ci.ts). Prints a table; writes JSON to
// bench/results/. Flags: --sizes 1000,10000 --runs 3, --builds-only (no worker rows).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { countKvChanges, keepBuildFiles } from './count-kv-changes.ts';
import { type CiDeployResult, formatCiDeploy, measureCiDeploy } from './deploy-ci.ts';
import { type HugoRun, measureHugo } from './hugo-rss.ts';
import { exists, generatorPath, prepareCorpus } from './prepare-corpus.ts';
import { applyChange, publishedSeed } from './seed-changes.ts';
import { measureWatchRebuilds, type WatchResult, watchCli } from './watch-rebuild.ts';
import { measureWorker, type WorkerCost } from './worker-cost.ts';

const repoRoot = join(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000' },
    runs: { type: 'string', default: '3' },
    'builds-only': { type: 'boolean', default: false },
  },
});
const sizes = values.sizes.split(',').map(Number);
const runs = Number(values.runs);

type BuildRun = {
  wallMs: number;
  peakRssMiB: number;
  documents: number;
  parsed: number;
  rendered: number;
};
type SizeResult = {
  seeds: number;
  cold: BuildRun & { seedsPerSecond: number };
  incremental: Record<'edit' | 'add' | 'delete', BuildRun & KvChanges>;
  /** Hugo's RSS-only build of the same seeds, in the same run (bench/hugo-rss.ts). */
  hugo: HugoRun;
  /** The same changes under a running `build --watch`. */
  watch: WatchResult;
  /** A process that only lists the folder and stats every seed: a new process's floor. */
  floorMs: number;
  /** The largest size only: a CI job's deploy after one edit (bench/deploy-ci.ts). */
  ciDeploy?: CiDeployResult;
};

if (!(await exists(generatorPath(repoRoot)))) {
  console.log(`bench: skipped — ${generatorPath(repoRoot)} is not here (it comes with ../shared).`);
  process.exit(0);
}

const results: SizeResult[] = [];
for (const count of sizes) {
  const corpus = await prepareCorpus({ repoRoot, count, seed: 1 });
  const work = join(corpus.outDir, '..', 'bench');
  const taxonomy = writeTaxonomy(join(work, 'taxonomy'));
  const out = join(work, 'dist');
  const cache = join(work, 'cache');
  const build = () => runBuild(corpus.seedsDir, out, cache, taxonomy);

  const colds: BuildRun[] = [];
  for (let r = 0; r < runs; r++) {
    rmSync(out, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
    colds.push(build());
  }
  const cold = median(colds);
  const incremental = {} as SizeResult['incremental'];
  const files = readdirSync(corpus.seedsDir).sort();
  for (const change of ['edit', 'add', 'delete'] as const) {
    const measured: (BuildRun & KvChanges)[] = [];
    for (let r = 0; r < runs; r++) {
      const before = join(work, 'before');
      keepBuildFiles(out, before);
      const undo = applyChange(
        change,
        corpus.seedsDir,
        publishedSeed(corpus.seedsDir, files, files.length - 1 - 37 * r),
        r,
      );
      try {
        const result = build();
        measured.push({ ...result, ...countKvChanges(before, out) });
      } finally {
        undo();
      }
      build(); // back to the corpus as generated
    }
    incremental[change] = median(measured);
  }
  const floors: number[] = [];
  for (let r = 0; r < runs; r++) floors.push(measureFloor(corpus.seedsDir));
  const floorMs = [...floors].sort((a, b) => a - b)[Math.floor(runs / 2)] ?? Number.NaN;
  const watch = await measureWatchRebuilds({
    cli: watchCli(repoRoot),
    buildArgs: buildArgs(corpus.seedsDir, out, cache, taxonomy),
    seedsDir: corpus.seedsDir,
    outDir: out,
    files,
    runs,
  });
  const hugo = measureHugo(repoRoot, count, runs);
  const ciDeploy =
    count === Math.max(...sizes)
      ? await measureCiDeploy({
          repoRoot,
          seedsDir: corpus.seedsDir,
          taxonomyDir: taxonomy,
          work: join(work, 'deploy-ci'),
          fillDirectly: true,
        })
      : undefined;
  results.push({
    floorMs,
    ...(ciDeploy ? { ciDeploy } : {}),
    seeds: count,
    cold: { ...cold, seedsPerSecond: Math.round(count / (cold.wallMs / 1000)) },
    incremental,
    watch,
    hugo,
  });
  printSize(results.at(-1));
}

const worker: WorkerCost | undefined = values['builds-only']
  ? undefined
  : await measureWorker(repoRoot);
if (worker) {
  console.log(
    `\nworker under wrangler dev (workerd), autocannon ${worker.connections} connections × ${worker.seconds} s per row, 3 interleaved rounds, medians:`,
  );
  for (const row of worker.rows)
    console.log(
      `  ${row.name.padEnd(28)} ${String(row.perSecond).padStart(6)} req/s  ${row.ratio.toFixed(2)} of the floor`,
    );
  const ratios = worker.countingRatios;
  console.log(
    `  reader statistics, on/off: feed 200 ${ratios.feed200.toFixed(2)}, 304 ${ratios.feed304.toFixed(2)}; 200s from a new reader each time ${ratios.newReaders200.toFixed(2)}, with polite polling ${ratios.politeNewReaders200.toFixed(2)}`,
  );
}

const machine = {
  cpus: cpus().length,
  cpu: cpus()[0]?.model ?? 'unknown',
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
};
mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
const file = join(
  repoRoot,
  'bench/results',
  `bench-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.json`,
);
writeFileSync(file, `${JSON.stringify({ machine, runs, results, worker }, null, 2)}\n`);
console.log(
  `\nmachine: ${machine.cpus} × ${machine.cpu}, ${machine.memoryGiB} GiB, node ${machine.node}; medians of ${runs} runs\nwrote ${file}`,
);

function runBuild(seeds: string, out: string, cache: string, taxonomy: string): BuildRun {
  const started = performance.now();
  const child = spawnSync(
    process.execPath,
    [join(repoRoot, 'src/compile/cli.ts'), ...buildArgs(seeds, out, cache, taxonomy), '--quiet'],
    { env: { ...process.env, EDGEFEED_TIMING: '1' }, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 },
  );
  const wallMs = Math.round(performance.now() - started);
  if (child.status !== 0)
    throw new Error(`build failed (${child.status}):\n${child.stderr.slice(-2000)}`);
  const number = (re: RegExp, text: string) => Number(re.exec(text)?.[1] ?? Number.NaN);
  return {
    wallMs,
    peakRssMiB: number(/timing peak rss: (\d+) MiB/, child.stderr),
    documents: number(/documents (\d+)/, child.stdout),
    parsed: number(/cache: (\d+) seeds read/, child.stdout),
    rendered: number(/(\d+) documents rendered/, child.stdout),
  };
}

/** Wall time of a Node process that lists `seeds` and stats every file (bench/list-and-stat.ts). */
function measureFloor(seeds: string): number {
  const started = performance.now();
  const child = spawnSync(process.execPath, [join(repoRoot, 'bench/list-and-stat.ts'), seeds]);
  if (child.status !== 0) throw new Error(`list-and-stat failed: ${child.stderr}`);
  return Math.round(performance.now() - started);
}

function buildArgs(seeds: string, out: string, cache: string, taxonomy: string): string[] {
  return ['--seeds', seeds, '--out', out, '--cache-dir', cache, '--taxonomy', taxonomy];
}

/** The generated corpus names C++ and C#, whose slugs collide: a taxonomy is the fix. */
function writeTaxonomy(dir: string): string {
  mkdirSync(join(dir, 'topics'), { recursive: true });
  writeFileSync(join(dir, 'topics/cpp.yaml'), '_id: cpp\nname: C++\n');
  writeFileSync(join(dir, 'topics/csharp.yaml'), '_id: csharp\nname: C#\n');
  return dir;
}

function median<T extends { wallMs: number }>(list: T[]): T {
  const sorted = [...list].sort((a, b) => a.wallMs - b.wallMs);
  const middle = sorted[Math.floor(sorted.length / 2)];
  if (!middle) throw new Error('no runs');
  return middle;
}

function printSize(r: SizeResult | undefined): void {
  if (!r) return;
  const row = (name: string, b: BuildRun, extra = '') =>
    `  ${name.padEnd(18)} ${String(b.wallMs).padStart(7)} ms  peak ${String(b.peakRssMiB).padStart(5)} MiB  read ${String(b.parsed).padStart(6)}  rendered ${String(b.rendered).padStart(5)}${extra}`;
  console.log(`\n${r.seeds} seeds → ${r.cold.documents} documents`);
  console.log(row('cold full build', r.cold, `  (${r.cold.seedsPerSecond} seeds/s)`));
  if ('skipped' in r.hugo) console.log(`  Hugo, RSS only:    skipped: ${r.hugo.skipped}`);
  else {
    const ratio = (r.cold.wallMs / r.hugo.wallMs).toFixed(2);
    console.log(
      `  Hugo ${r.hugo.version}, RSS only ${String(r.hugo.wallMs).padStart(7)} ms  (${r.hugo.feeds} feeds); edgefeed cold / Hugo = ${ratio}`,
    );
  }
  for (const [name, b] of Object.entries(r.incremental)) {
    console.log(row(`rebuild after ${name}`, b, `  ${kv(b)}`));
  }
  console.log(
    `  floor: a process listing the folder and stat'ing every seed ${r.floorMs} ms (new-process edit / floor = ${(r.incremental.edit.wallMs / r.floorMs).toFixed(1)})`,
  );
  if (r.ciDeploy) console.log(formatCiDeploy(r.ciDeploy));
  console.log(`  build --watch (one process, peak ${r.watch.peakRssMiB} MiB over all rebuilds):`);
  for (const [name, w] of Object.entries(r.watch.runs)) {
    console.log(
      `  ${`  after ${name}`.padEnd(18)} ${String(w.wallMs).padStart(7)} ms  from the change on disk  read ${String(w.parsed).padStart(6)}  rendered ${String(w.rendered).padStart(5)}  ${kv(w)}`,
    );
  }
}

type KvChanges = ReturnType<typeof countKvChanges>;

function kv(c: KvChanges): string {
  return `KV: ${c.kvWrites} writes (values, shards, the switch), ${c.kvGarbage} left for GC, ${c.newlySealed} newly sealed`;
}
