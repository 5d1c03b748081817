// npm run deploy: build, `wrangler deploy`, then sync the bundle to the FEEDS namespace,
// writing only what changed (the same plan `npm start` uses locally).
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BUILD_USAGE, parseBuildArgs, UsageError } from '../src/compile/parse-build-args.ts';
import { MANIFEST_KEY } from '../src/core/document-paths.ts';
import { applyKvSync } from '../src/publish/apply-kv-sync.ts';
import { formatKvSyncPlan } from '../src/publish/format-kv-sync-plan.ts';
import { createProgressLine } from '../src/publish/kv-sync-progress.ts';
import {
  formatLoadSummary,
  loadLocalKv,
  planLocalKvSync,
  withLocalKv,
} from '../src/publish/load-local-kv.ts';
import { parseKvManifest, planKvSync } from '../src/publish/plan-kv-sync.ts';
import { readKvBundle } from '../src/publish/read-kv-bundle.ts';
import { createRemoteKvTarget } from '../src/publish/remote-kv-target.ts';
import { captureWrangler, REPO_ROOT, runBuild, runWrangler } from './run-build.ts';

const DEPLOY_USAGE = `${BUILD_USAGE.replace('npm run build --', 'npm run deploy --')}

npm run deploy builds with these flags, runs \`wrangler deploy\`, then syncs
<out>/kv-bundle.json to the KV namespace bound as FEEDS in wrangler.toml: it reads the
manifest it keeps under ${MANIFEST_KEY}, writes new and changed documents before the
pages and indexes that link to them (meta:build last), deletes keys no longer produced,
then stores the new manifest. Writes go in chunks of at most 10,000 pairs through
\`wrangler kv bulk put --remote\`. --site-url must be the public URL (feeds link to it).

Deploy options:
  --dry-run          build and print the plan (writes, deletes, unchanged); touch nothing
  --local            sync to the local store \`npm start\` uses instead (no wrangler deploy)`;

const CONFIG_PATH = join(REPO_ROOT, 'wrangler.toml');
const BINDING = 'FEEDS';

async function main(argv: string[]): Promise<number> {
  const { values, tokens } = parseArgs({
    args: argv,
    strict: false,
    tokens: true,
    options: { 'dry-run': { type: 'boolean' }, local: { type: 'boolean' } },
  });
  const own = new Set(['dry-run', 'local']);
  const buildArgs = argv.filter(
    (_, index) => !tokens.some((t) => t.kind === 'option' && t.index === index && own.has(t.name)),
  );
  const dryRun = values['dry-run'] === true;
  const local = values.local === true;

  const options = parseBuildArgs(buildArgs);
  if (options === 'help') {
    console.log(DEPLOY_USAGE);
    return 0;
  }
  if (!local && new URL(options.siteUrl).hostname === '127.0.0.1') {
    throw new UsageError('deploy needs --site-url https://your.domain: every feed links to it');
  }
  const buildCode = await runBuild(buildArgs);
  if (buildCode !== 0) return buildCode;
  const bundle = await readKvBundle(join(options.outDir, 'kv-bundle.json'));

  if (local) {
    const localOptions = { configPath: CONFIG_PATH, binding: BINDING };
    if (dryRun) {
      const plan = await withLocalKv(localOptions, (kv) => planLocalKvSync(kv, bundle));
      console.log(formatKvSyncPlan(plan, 'the local store'));
      return 0;
    }
    const progress = createProgressLine(process.stderr, 'kv');
    console.log(formatLoadSummary(await loadLocalKv(bundle, { ...localOptions, progress })));
    return 0;
  }

  const target = createRemoteKvTarget({
    run: captureWrangler,
    configPath: CONFIG_PATH,
    binding: BINDING,
  });
  const plan = planKvSync(bundle, parseKvManifest(await target.readText(MANIFEST_KEY)));
  console.log(formatKvSyncPlan(plan, `the ${BINDING} namespace`));
  if (dryRun) return 0;
  const deployCode = await runWrangler(['deploy', '--config', CONFIG_PATH]);
  if (deployCode !== 0) return deployCode;
  const started = performance.now();
  const progress = createProgressLine(process.stderr, 'kv');
  const counts = await applyKvSync(target, plan, (done, total) => progress.update(done, total));
  progress.finish();
  console.log(
    `kv (remote): ${counts.written} written, ${counts.deleted} deleted, ${counts.unchanged} unchanged in ${Math.round(performance.now() - started)} ms`,
  );
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`deploy: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  },
);
