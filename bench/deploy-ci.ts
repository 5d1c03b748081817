// A CI job's deploy (issue 17): a cold `npm run deploy` of a generated corpus to the
// Cloudflare API stand-in that adds 100 ms to every request; then, as a new CI run, only
// --cache-dir kept, --out emptied, one seed's title edited, `npm run deploy -- --namespace-id
// ID` again: seconds from the command's start to its exit (npm's start-up included),
// requests and their kinds, the cache folder's size; the build switched to has the id of a
// cold build of the same seeds, and the namespace holds every value its manifest names.
// Alone: node bench/deploy-ci.ts [--count 100000] [--repo DIR] (DIR: another checkout to
// measure, e.g. the commit before, with the same corpus). `npm run bench` runs it too.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { openStoredBuild } from '../src/compile/store/open-stored-build.ts';
import { BuildPointerSchema } from '../src/core/build-record.ts';
import { switchPointer } from '../src/core/kept-builds.ts';
import { POINTER_KEY } from '../src/core/store-keys.ts';
import { keysOfBuild } from '../src/publish/build-keys.ts';
import type { KvNamespace } from '../tests/support/cloudflare-api/kv-namespace.ts';
import { startStandIn } from '../tests/support/cloudflare-api/stand-in.ts';
import { prepareCorpus } from './prepare-corpus.ts';
import { applyChange, publishedSeed } from './seed-changes.ts';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const TOKEN = 'bench-token-0123456789';
const NAMESPACE = 'c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1';

export type DeployRun = { seconds: number; requests: number; kinds: Record<string, number> };
export type CiDeployResult = {
  delayMs: number;
  cold: DeployRun;
  cacheBytes: number;
  afterEdit: DeployRun;
  /** The build switched to has a cold build's id, and every value it names is there. */
  sameAsCold: boolean;
  complete: boolean;
};

export async function measureCiDeploy(options: {
  repoRoot: string;
  seedsDir: string;
  taxonomyDir: string;
  work: string;
  delayMs?: number;
  /**
   * Instead of a cold `npm run deploy` (minutes: 1.7 GB through the stand-in at 100k), a
   * cold build whose values are put straight into the stand-in's namespace, as a deploy
   * would leave it. The CI deploy measured after it is the same.
   */
  fillDirectly?: boolean;
}): Promise<CiDeployResult> {
  const delayMs = options.delayMs ?? 100;
  const standIn = await startStandIn({
    accountId: ACCOUNT,
    token: TOKEN,
    namespaces: [NAMESPACE],
    delayMs,
  });
  const out = join(options.work, 'ci-out');
  const cache = join(options.work, 'ci-cache');
  rmSync(out, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
  const args = [
    ...['--seeds', options.seedsDir, '--out', out, '--cache-dir', cache],
    ...['--taxonomy', options.taxonomyDir, '--site-url', 'https://feeds.example.org'],
    ...['--namespace-id', NAMESPACE, '--quiet'],
  ];
  const env = {
    ...process.env,
    CLOUDFLARE_API_BASE_URL: standIn.baseUrl,
    CLOUDFLARE_API_TOKEN: TOKEN,
    CLOUDFLARE_ACCOUNT_ID: ACCOUNT,
    EDGEFEED_DEPLOY_TOKEN: '',
  };
  const run = async (command: string, commandArgs: string[]): Promise<DeployRun> => {
    const first = standIn.requests.length;
    const started = performance.now();
    // Not spawnSync: the stand-in answers from this process's event loop.
    await promisify(execFile)(command, commandArgs, {
      cwd: options.repoRoot,
      env,
      maxBuffer: 64 * 2 ** 20,
    });
    const seconds = (performance.now() - started) / 1000;
    const kinds: Record<string, number> = {};
    for (const r of standIn.requests.slice(first)) {
      const kind = `${r.method} ${r.path.replace(/^.*\/namespaces\/[^/]+/, '').replace(/\/values\/.*/, '/values/:key') || '/'}`;
      kinds[kind] = (kinds[kind] ?? 0) + 1;
    }
    return { seconds, requests: standIn.requests.length - first, kinds };
  };
  const files = readdirSync(options.seedsDir).sort();
  let undo = () => {};
  try {
    const cold = options.fillDirectly
      ? await fillNamespace(standIn.namespace(NAMESPACE), options.repoRoot, args, out)
      : await run(process.execPath, [join(options.repoRoot, 'scripts/deploy.ts'), ...args]);
    // The newest published article: the one the feeds show.
    const seed = publishedSeed(options.seedsDir, files, files.length - 1);
    undo = applyChange('edit', options.seedsDir, seed, 17);
    rmSync(out, { recursive: true, force: true });
    const cacheBytes = sizeOf(cache);
    const afterEdit = await run('npm', ['run', 'deploy', '--', ...args]);
    const values = standIn.namespace(NAMESPACE).values;
    const pointer = BuildPointerSchema.parse(
      JSON.parse(values.get(POINTER_KEY)?.value.toString('utf8') ?? '{}'),
    );
    const served = pointer.builds.find((build) => build.buildId === pointer.current);
    const needed =
      served && (await keysOfBuild(served, async (key) => values.get(key)?.value ?? null));
    const complete =
      needed !== undefined &&
      needed.unreadable.length === 0 &&
      [...needed.keys].every((key) => values.has(key));
    const coldOut = join(options.work, 'ci-cold-out');
    rmSync(coldOut, { recursive: true, force: true });
    await promisify(execFile)(
      process.execPath,
      [
        join(options.repoRoot, 'src/compile/cli.ts'),
        ...['--seeds', options.seedsDir, '--out', coldOut, '--no-cache', '--quiet'],
        ...['--taxonomy', options.taxonomyDir, '--site-url', 'https://feeds.example.org'],
      ],
      { cwd: options.repoRoot, maxBuffer: 64 * 2 ** 20 },
    );
    const coldId = JSON.parse(readFileSync(join(coldOut, 'build.json'), 'utf8')).buildId;
    rmSync(coldOut, { recursive: true, force: true });
    return {
      delayMs,
      cold,
      cacheBytes,
      afterEdit,
      sameAsCold: coldId === pointer.current,
      complete,
    };
  } finally {
    undo();
    await standIn.close();
  }
}

export function formatCiDeploy(r: CiDeployResult): string {
  const kinds = (run: DeployRun) =>
    Object.entries(run.kinds)
      .map(([kind, n]) => `${n}× ${kind}`)
      .join(', ');
  return [
    `  CI deploy (stand-in, +${r.delayMs} ms a request): cold ${r.cold.seconds.toFixed(1)} s, ${r.cold.requests} requests (${kinds(r.cold)})`,
    `    cache dir kept: ${(r.cacheBytes / 2 ** 20).toFixed(1)} MiB; after one edit, empty --out, npm run deploy -- --namespace-id: ${r.afterEdit.seconds.toFixed(2)} s, ${r.afterEdit.requests} requests (${kinds(r.afterEdit)})`,
    `    switched build = cold build: ${r.sameAsCold}; every value it names is in the namespace: ${r.complete}`,
  ].join('\n');
}

/** A cold build, its values and pointer put into `namespace` as a deploy leaves them. */
async function fillNamespace(
  namespace: KvNamespace,
  repoRoot: string,
  args: readonly string[],
  out: string,
): Promise<DeployRun> {
  const started = performance.now();
  const buildArgs = args.filter(
    (arg, i) => arg !== '--namespace-id' && args[i - 1] !== '--namespace-id',
  );
  await promisify(execFile)(
    process.execPath,
    [join(repoRoot, 'src/compile/cli.ts'), ...buildArgs],
    {
      cwd: repoRoot,
      maxBuffer: 64 * 2 ** 20,
    },
  );
  const source = openStoredBuild(out);
  for (const key of source.keys()) {
    namespace.values.set(key, { value: Buffer.from(await source.readValue(key)) });
  }
  const pointer = switchPointer(undefined, source.record, new Date());
  namespace.values.set(POINTER_KEY, { value: Buffer.from(JSON.stringify(pointer)) });
  source.store.closeFiles();
  return {
    seconds: (performance.now() - started) / 1000,
    requests: 0,
    kinds: { 'filled directly': 1 },
  };
}

function sizeOf(dir: string): number {
  let bytes = 0;
  for (const name of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const stat = statSync(join(dir, name));
    if (stat.isFile()) bytes += stat.size;
  }
  return bytes;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      count: { type: 'string', default: '100000' },
      repo: { type: 'string' },
      'fill-directly': { type: 'boolean', default: false },
    },
  });
  const repoRoot = values.repo ?? join(import.meta.dirname, '..');
  const corpus = await prepareCorpus({
    repoRoot: join(import.meta.dirname, '..'),
    count: Number(values.count),
    seed: 1,
  });
  const work = join(corpus.outDir, '..', 'deploy-ci');
  const taxonomyDir = join(work, 'taxonomy');
  mkdirSync(join(work, values.repo ? 'other' : 'this'), { recursive: true });
  mkdirSync(join(taxonomyDir, 'topics'), { recursive: true });
  writeFileSync(join(taxonomyDir, 'topics/cpp.yaml'), '_id: cpp\nname: C++\n');
  writeFileSync(join(taxonomyDir, 'topics/csharp.yaml'), '_id: csharp\nname: C#\n');
  const result = await measureCiDeploy({
    repoRoot,
    seedsDir: corpus.seedsDir,
    taxonomyDir,
    work: join(work, values.repo ? 'other' : 'this'),
    fillDirectly: values['fill-directly'],
  });
  console.log(`${values.count} seeds, ${repoRoot}:\n${formatCiDeploy(result)}`);
  console.log(JSON.stringify(result));
}
