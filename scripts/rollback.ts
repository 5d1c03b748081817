// npm run rollback: switch the FEEDS namespace (or with --local the store `npm start` serves)
// back to a kept build, in one write of the pointer.
import { join } from 'node:path';
import { UsageError } from '../src/compile/parse-build-args.ts';
import { shardReaderFor } from '../src/publish/build-keys.ts';
import { readServerFile } from '../src/publish/local-server-file.ts';
import { localTrigger, notifyDeployed } from '../src/publish/notify-deployed.ts';
import { DEFAULT_PERSIST_TO, openTarget } from '../src/publish/open-target.ts';
import { deployTriggerToken, secretsFilePath } from '../src/publish/provision/secrets-file.ts';
import { readBuildPointer } from '../src/publish/read-build-pointer.ts';
import { describeKept, rollbackBuild } from '../src/publish/rollback-build.ts';
import { splitArgs, stringFlag } from '../src/publish/split-args.ts';
import { waitForBuild } from '../src/publish/wait-for-build.ts';
import { REPO_ROOT } from './run-build.ts';
import { runCommand } from './run-command.ts';

const ROLLBACK_USAGE = `Usage: npm run rollback -- [--local] [--persist-to DIR] [--namespace-id ID] [BUILD]

Switches the site back to BUILD, one of the builds the pointer keeps (the current one, the
4 served before it, and any retired in the last 10 minutes; /healthz lists them), or by
default to the one served before the current one: one write of meta:current, after
checking every key that build names is still stored. Then calls the worker's deploy
trigger, as a deploy does. An unknown BUILD changes nothing and lists the kept builds.

  --local            the local store \`npm start\` serves (a running one switches at once)
  --persist-to DIR   its folder (default: ${DEFAULT_PERSIST_TO})
  --namespace-id ID  remotely, the KV namespace (default: FEEDS's id in wrangler.toml)
  --list             list the kept builds and change nothing
Remotely it needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID, as npm run deploy.`;

async function main(argv: string[]): Promise<number> {
  const { own, rest } = splitArgs(argv, {
    local: 'boolean',
    'persist-to': 'string',
    'namespace-id': 'string',
    list: 'boolean',
    help: 'boolean',
  });
  if (own.has('help') || rest.includes('-h')) {
    console.log(ROLLBACK_USAGE);
    return 0;
  }
  const words = rest.filter((arg) => !arg.startsWith('-'));
  const unknown = rest.filter((arg) => arg.startsWith('-'));
  if (unknown.length > 0) throw new UsageError(`unknown option ${unknown[0]}`);
  if (words.length > 1) throw new UsageError(`one BUILD at most, not ${words.join(' ')}`);
  const local = own.has('local');
  const persistTo = stringFlag(own, 'persist-to') ?? DEFAULT_PERSIST_TO;
  const log = (line: string) => console.error(line);
  const target = await openTarget(
    local
      ? { local: true, configPath: join(REPO_ROOT, 'wrangler.toml'), persistTo }
      : {
          local: false,
          configPath: join(REPO_ROOT, 'wrangler.toml'),
          namespaceId: stringFlag(own, 'namespace-id'),
          env: process.env,
          log,
        },
  );
  try {
    if (own.has('list')) {
      await target.check();
      const read = await readBuildPointer(target);
      console.log(
        read.state === 'loaded'
          ? read.pointer.builds.map((build) => describeKept(build, read.pointer.current)).join('\n')
          : `${target.name}: no build pointer (${read.state})`,
      );
      return 0;
    }
    const server = local ? readServerFile(persistTo) : undefined;
    const summary = await rollbackBuild({
      target,
      buildId: words[0],
      readShard: shardReaderFor(undefined, target),
      log,
      notify: local
        ? localTrigger(server, persistTo)
        : async (previous, current) => {
            const read = await readBuildPointer(target);
            const siteUrl = read.state === 'loaded' ? read.pointer.builds[0]?.siteUrl : undefined;
            if (!siteUrl) return 'trigger: no site URL known';
            const token = await deployTriggerToken(
              process.env,
              secretsFilePath(process.env, REPO_ROOT),
            );
            return notifyDeployed({ origin: siteUrl, token, previous, current });
          },
    });
    if (summary.trigger) console.log(summary.trigger);
    console.log(
      summary.switched
        ? `rollback ${local ? `(local, ${persistTo})` : '(Cloudflare)'}: switched ${summary.from} → ${summary.to}; ${target.stats().requests} requests`
        : `rollback: build ${summary.to} is already served; nothing switched`,
    );
    if (server) console.log(await waitForBuild(server.origin, summary.to));
  } finally {
    await target.close();
  }
  return 0;
}

runCommand('rollback', () => main(process.argv.slice(2)), ROLLBACK_USAGE);
