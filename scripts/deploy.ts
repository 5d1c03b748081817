// npm run deploy: build, then publish the build to the FEEDS namespace (Cloudflare's, or with
// --local the store `npm start` serves): upload what is missing, verify, switch, trigger, GC.
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { BUILD_USAGE, parseBuildArgs, UsageError } from '../src/compile/parse-build-args.ts';
import { createProgressLine } from '../src/compile/progress-line.ts';
import { openStoredBuild } from '../src/compile/store/open-stored-build.ts';
import { shardReaderFor, shardsReaderFor } from '../src/publish/build-keys.ts';
import type { KvTarget } from '../src/publish/kv-target.ts';
import { readServerFile } from '../src/publish/local-server-file.ts';
import { givesSiteUrl, servedSiteUrl, withSiteUrl } from '../src/publish/local-site-url.ts';
import { localTrigger, siteTrigger } from '../src/publish/notify-deployed.ts';
import { DEFAULT_PERSIST_TO, openTarget, requireCredentials } from '../src/publish/open-target.ts';
import { publishBuild } from '../src/publish/publish-build.ts';
import { formatPublishSummary } from '../src/publish/publish-summary.ts';
import { splitArgs, stringFlag } from '../src/publish/split-args.ts';
import { waitForBuild } from '../src/publish/wait-for-build.ts';
import { writeBulkFiles } from '../src/publish/write-bulk-files.ts';
import { REPO_ROOT, runBuild, runWrangler } from './run-build.ts';
import { runCommand } from './run-command.ts';

const DEPLOY_USAGE = `${BUILD_USAGE.replace('npm run build --', 'npm run deploy --')}

npm run deploy builds with these flags, then publishes the build to the KV namespace bound
as FEEDS in wrangler.toml through Cloudflare's REST API: it uploads only the values the
namespace lacks (retrying what the API reports as not stored, 429 and 5xx), checks that
every key the build names is there, switches the pointer meta:current in one write (the
previous builds stay kept for rollback), calls the worker's POST /_edgefeed/deployed
(with EDGEFEED_DEPLOY_TOKEN), and deletes what no kept build names. Interrupted anywhere,
the old build keeps serving; the same command again finishes the job.
Needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID (CLOUDFLARE_API_BASE_URL to point
elsewhere), and --site-url: every feed links to it.

Deploy options:
  --local            publish to the local store \`npm start\` serves instead; a running
                     \`npm start\` switches to the new build without a restart. Without
                     --site-url, the build keeps the site URL of the build served there
  --persist-to DIR   the local store's folder (with --local; default: ${DEFAULT_PERSIST_TO})
  --dry-run          build and say what would be uploaded and switched; write nothing
  --worker           also run \`wrangler deploy\` (the worker's code), right after the switch:
                     needed on the first deploy and after upgrading edgefeed
  --no-build         publish the build already in --out, without building
  --verify-all       list the whole namespace instead of trusting the pointer: upload what
                     the build lacks, report what kept builds lack, delete what none names
  --namespace-id ID  the KV namespace (default: the FEEDS binding's id in wrangler.toml)
  --write-bulk DIR   write nothing to KV: write the build's values as \`wrangler kv bulk put\`
                     files and pointer.json into DIR, for loading by hand (README)`;

const CONFIG_PATH = join(REPO_ROOT, 'wrangler.toml');

async function main(argv: string[]): Promise<number> {
  const { own, rest } = splitArgs(argv, {
    local: 'boolean',
    'persist-to': 'string',
    'dry-run': 'boolean',
    worker: 'boolean',
    'no-build': 'boolean',
    'namespace-id': 'string',
    'write-bulk': 'string',
    'verify-all': 'boolean',
  });
  const options = parseBuildArgs(rest);
  if (options === 'help') {
    console.log(DEPLOY_USAGE);
    return 0;
  }
  if (options.watch) throw new UsageError('--watch is a build flag; deploy builds once');
  const local = own.has('local');
  const siteUrlGiven = givesSiteUrl(rest);
  if (!local && !own.has('no-build') && !siteUrlGiven) {
    throw new UsageError(
      'a remote deploy needs --site-url https://your.domain: every feed links to it',
    );
  }
  if (!local && own.has('persist-to')) throw new UsageError('--persist-to goes with --local');
  // Credentials are checked before building: a deploy that cannot publish builds nothing.
  if (!local && !own.has('write-bulk')) requireCredentials(process.env);
  const persistTo = stringFlag(own, 'persist-to') ?? DEFAULT_PERSIST_TO;
  const bulkDir = stringFlag(own, 'write-bulk');
  const log = (line: string) => console.error(line);
  // The local store is opened before building: a build without --site-url keeps the site
  // URL of the build the store serves, so that a deploy does not move every WebSub topic.
  let target: KvTarget | undefined =
    local && bulkDir === undefined
      ? await openTarget({ local: true, configPath: CONFIG_PATH, persistTo })
      : undefined;
  const progress = createProgressLine(process.stderr, 'upload', 'values');
  try {
    let buildArgs = rest;
    const served =
      target !== undefined && !siteUrlGiven && !own.has('no-build')
        ? await servedSiteUrl(target)
        : undefined;
    if (served !== undefined) {
      log(`deploy: --site-url ${served} (the served build's)`);
      buildArgs = withSiteUrl(rest, served);
    }
    // A remote deploy stores only what changed: the namespace holds the rest (issue 17).
    const changedOnly = !local && bulkDir === undefined;
    if (!own.has('no-build')) {
      const code = await runBuild(changedOnly ? [...buildArgs, '--changed-only'] : buildArgs);
      if (code !== 0) return code;
    }
    const source = openStoredBuild(options.outDir, { partial: changedOnly });
    if (bulkDir !== undefined) {
      const files = await writeBulkFiles(source, bulkDir);
      console.log(
        `deploy: build ${source.record.buildId} written for loading by hand: ${files.join(' ')}`,
      );
      return 0;
    }
    target ??= await openTarget({
      local: false,
      configPath: CONFIG_PATH,
      namespaceId: stringFlag(own, 'namespace-id'),
      env: process.env,
      log,
    });
    const opened = target;
    const server = local ? readServerFile(persistTo) : undefined;
    const started = performance.now();
    const summary = await publishBuild({
      target: opened,
      source,
      readShard: shardReaderFor(source.store, opened),
      readShards: shardsReaderFor(source.store, opened),
      verifyAll: own.has('verify-all'),
      // --no-build has no seeds to render from: a hole makes it refuse instead.
      ...(own.has('no-build')
        ? {}
        : {
            renderMissing: async () => {
              const code = await runBuild(buildArgs);
              if (code !== 0) throw new Error(`building every body again failed (exit ${code})`);
              return openStoredBuild(options.outDir);
            },
          }),
      sleep: (ms) => delay(ms).then(() => undefined),
      log,
      dryRun: own.has('dry-run'),
      workerDeployed: own.has('worker'),
      onProgress: (done, total) => progress.update(done, total),
      ...(own.has('worker') && !local
        ? {
            afterSwitch: async () => {
              const code = await runWrangler(['deploy', '--config', CONFIG_PATH]);
              if (code !== 0)
                throw new Error(
                  `the content is switched, but wrangler deploy failed (${code}); run the same command again`,
                );
            },
          }
        : {}),
      notify: local
        ? localTrigger(server, persistTo)
        : (previous, current) => siteTrigger(source.record.siteUrl, previous, current),
    });
    progress.finish();
    if (summary.trigger) console.log(summary.trigger);
    console.log(
      formatPublishSummary(
        summary,
        local ? `(local, ${persistTo})` : '(Cloudflare)',
        opened.stats(),
        performance.now() - started,
      ),
    );
    if (
      server &&
      (summary.switched || summary.previous === summary.buildId) &&
      !own.has('dry-run')
    ) {
      console.log(await waitForBuild(server.origin, summary.buildId));
    }
  } finally {
    progress.finish();
    await target?.close();
  }
  return 0;
}

runCommand('deploy', () => main(process.argv.slice(2)), DEPLOY_USAGE);
