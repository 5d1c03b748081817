// npm run deploy: build, then publish the build to the FEEDS namespace (Cloudflare's, or with
// --local the store `npm start` serves): upload what is missing, verify, switch, trigger, GC.
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { BUILD_USAGE, parseBuildArgs, UsageError } from '../src/compile/parse-build-args.ts';
import { createProgressLine } from '../src/compile/progress-line.ts';
import { openStoredBuild } from '../src/compile/store/open-stored-build.ts';
import { shardReaderFor, shardsReaderFor } from '../src/publish/build-keys.ts';
import { createCloudflareClient } from '../src/publish/cloudflare-client.ts';
import { listLegacyKeys } from '../src/publish/collect-garbage.ts';
import type { KvTarget } from '../src/publish/kv-target.ts';
import { readServerFile } from '../src/publish/local-server-file.ts';
import { givesSiteUrl, servedSiteUrl, withSiteUrl } from '../src/publish/local-site-url.ts';
import { localTrigger, notifyDeployed } from '../src/publish/notify-deployed.ts';
import {
  DEFAULT_API_BASE_URL,
  DEFAULT_PERSIST_TO,
  KV_BINDING,
  openTarget,
  requireCredentials,
} from '../src/publish/open-target.ts';
import { prepareAccount } from '../src/publish/provision/prepare-account.ts';
import {
  deployTriggerToken,
  SECRETS_FILE,
  secretsFilePath,
} from '../src/publish/provision/secrets-file.ts';
import { publishBuild } from '../src/publish/publish-build.ts';
import { formatPublishSummary } from '../src/publish/publish-summary.ts';
import { checkAndReadPointer, type PointerState } from '../src/publish/read-build-pointer.ts';
import { splitArgs, stringFlag } from '../src/publish/split-args.ts';
import { waitForBuild } from '../src/publish/wait-for-build.ts';
import { writeBulkFiles } from '../src/publish/write-bulk-files.ts';
import { REPO_ROOT, runBuild } from './run-build.ts';
import { runCommand } from './run-command.ts';

const DEPLOY_USAGE = `${BUILD_USAGE.replace('npm run build --', 'npm run deploy --')}

npm run deploy builds with these flags, then, on the Cloudflare account, finds by name what
the worker needs and creates what is missing (the KV namespace, the D1 database with its
migrations, the queues, the secrets DEPLOY_TOKEN, STATS_TOKEN and ACTIVITYPUB_PRIVATE_KEY, kept in ${SECRETS_FILE}),
publishes the build to the namespace through the REST API (only the values it lacks,
retrying what the API reports as not stored, 429 and 5xx), checks that every key the build
names is there, switches the pointer meta:current in one write (the previous builds stay
kept for rollback), runs \`wrangler deploy\` when the worker is missing, lacks a binding or a
secret (or with --worker), calls the worker's POST /_edgefeed/deployed (with
EDGEFEED_DEPLOY_TOKEN, else ${SECRETS_FILE}'s DEPLOY_TOKEN; set and empty: no call), and
deletes what no kept build names. Interrupted anywhere, the old build keeps serving; the
same command again finishes the job.
Needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID (CLOUDFLARE_API_BASE_URL to point
elsewhere), and --site-url: every feed links to it.

Deploy options:
  --local            publish to the local store \`npm start\` serves instead; a running
                     \`npm start\` switches to the new build without a restart. Without
                     --site-url, the build keeps the site URL of the build served there
  --persist-to DIR   the local store's folder (with --local; default: ${DEFAULT_PERSIST_TO})
  --dry-run          build and say what would be uploaded and switched; write nothing
  --worker           run \`wrangler deploy\` (the worker's code) even when the worker has every
                     binding and secret: after upgrading edgefeed
  --no-build         publish the build already in --out, without building
  --verify-all       list the whole namespace instead of trusting the pointer: upload what
                     the build lacks, report what kept builds lack, delete what none names
  --namespace-id ID  publish the content to this KV namespace only: nothing is created, no
                     \`wrangler deploy\`
  --write-bulk DIR   write nothing to KV: write the build's values as \`wrangler kv bulk put\`
                     files and pointer.json into DIR, for loading by hand (README)`;

const CONFIG_PATH = join(REPO_ROOT, 'wrangler.toml');
// EDGEFEED_SECRETS_FILE moves it (the tests keep theirs in a temporary folder).
const SECRETS_PATH = secretsFilePath(process.env, REPO_ROOT);
const WRANGLER_BIN = join(REPO_ROOT, 'node_modules/wrangler/bin/wrangler.js');

function cloudflareClient(env: NodeJS.ProcessEnv, log: (line: string) => void) {
  return createCloudflareClient({
    baseUrl: env.CLOUDFLARE_API_BASE_URL ?? DEFAULT_API_BASE_URL,
    token: env.CLOUDFLARE_API_TOKEN ?? '',
    log,
  });
}

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
  const namespaceId = stringFlag(own, 'namespace-id');
  /** The namespace on Cloudflare: --namespace-id's, else the config's or a first deploy's. */
  const openRemote = () =>
    openTarget({ local: false, configPath: CONFIG_PATH, namespaceId, env: process.env, log });
  let closePrepared: (() => Promise<void>) | undefined;
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
    // With --namespace-id the namespace is known before building: it is checked, its
    // pointer read and the old layout's leftovers listed while the build runs in its own
    // process (three round trips, one of them two lists at once). What the kept builds name is
    // read after, from the new build's store first (their shared shards) and only the rest
    // from the namespace: read during the build, from the namespace alone, it was one
    // request more and competed with the build for the CPU (bench/deploy-ci.ts at 100k).
    let pointer: Promise<PointerState> | undefined;
    let legacyKeys: Promise<string[]> | undefined;
    if (changedOnly && namespaceId !== undefined && !own.has('no-build')) {
      target = await openRemote();
      pointer = checkAndReadPointer(target);
      legacyKeys = listLegacyKeys(target);
      // Awaited by publishBuild; a failing build returns before that, and then a failed
      // read is nobody's concern.
      pointer.catch(() => {});
      legacyKeys.catch(() => {});
    }
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
    // A remote deploy without --namespace-id provisions the account first (what is missing
    // is created, what exists is found by name) and deploys the worker after the switch.
    const prepared =
      target === undefined && !local && namespaceId === undefined
        ? await prepareAccount({
            ...requireCredentials(process.env),
            client: cloudflareClient(process.env, log),
            configPath: CONFIG_PATH,
            projectRoot: REPO_ROOT,
            wranglerBin: WRANGLER_BIN,
            kvBinding: KV_BINDING,
            secretsPath: SECRETS_PATH,
            log,
            dryRun: own.has('dry-run'),
            forceWorker: own.has('worker'),
          })
        : undefined;
    closePrepared = prepared?.close;
    if (prepared !== undefined && prepared.target === undefined) {
      console.log(
        `deploy (dry run): the namespace does not exist yet; the whole build ${source.record.buildId} would be uploaded`,
      );
      return 0;
    }
    target ??= prepared?.target ?? (await openRemote());
    const opened = target;
    const server = local ? readServerFile(persistTo) : undefined;
    const started = performance.now();
    const summary = await publishBuild({
      target: opened,
      source,
      readShard: shardReaderFor(source.store, opened),
      readShards: shardsReaderFor(source.store, opened),
      ...(pointer ? { pointer } : {}),
      ...(legacyKeys ? { legacyKeys } : {}),
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
      workerDeployed: prepared !== undefined || own.has('worker'),
      onProgress: (done, total) => progress.update(done, total),
      ...(prepared ? { afterSwitch: () => prepared.deployWorker() } : {}),
      notify: local
        ? localTrigger(server, persistTo)
        : async (previous, current) =>
            prepared?.workerIsNew
              ? 'trigger: skipped (the worker is new: no subscriber yet)'
              : notifyDeployed({
                  origin: source.record.siteUrl,
                  token: await deployTriggerToken(process.env, SECRETS_PATH),
                  previous,
                  current,
                }),
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
    await closePrepared?.();
  }
  return 0;
}

runCommand('deploy', () => main(process.argv.slice(2)), DEPLOY_USAGE);
