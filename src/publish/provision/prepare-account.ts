import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudflareClient } from '../cloudflare-client.ts';
import { createCloudflareKvTarget } from '../cloudflare-kv-target.ts';
import type { KvTarget } from '../kv-target.ts';
import { createAccountApi } from './account-api.ts';
import { applyRemoteMigrations } from './apply-remote-migrations.ts';
import { readDeployConfig } from './deploy-config.ts';
import { provisionAccount } from './provision-account.ts';
import { deployWorker } from './wrangler-steps.ts';

/**
 * wrangler's config for this deploy, beside wrangler.toml (git-ignored, removed after): one
 * per process, so that two deploys from one checkout do not share it.
 */
export const DEPLOY_CONFIG = `.wrangler-deploy-${process.pid}.json`;

export type PrepareAccountOptions = {
  client: CloudflareClient;
  accountId: string;
  /** wrangler.toml; the folder it is in is where wrangler runs. */
  configPath: string;
  projectRoot: string;
  wranglerBin: string;
  kvBinding: string;
  secretsPath: string;
  log: (line: string) => void;
  dryRun: boolean;
  /** `--worker`: run `wrangler deploy` even when the worker has every binding and secret. */
  forceWorker: boolean;
};

export type PreparedAccount = {
  /** The namespace to publish to; undefined on a dry run when it does not exist yet. */
  target: KvTarget | undefined;
  /** True when the account had no worker of this name before this deploy. */
  workerIsNew: boolean;
  /** `wrangler deploy` when the worker needs it: run after the switch (publish-build.ts). */
  deployWorker(): Promise<void>;
  /** Removes the files this deploy wrote for wrangler. */
  close(): Promise<void>;
};

/**
 * A first deploy's account work, before the content is published: every resource found
 * or created (provision-account.ts), the D1 migrations applied (apply-remote-migrations.ts), and the worker's upload
 * ready to run once the content is switched, so that the worker never serves an empty
 * namespace or a database without its tables.
 */
export async function prepareAccount(options: PrepareAccountOptions): Promise<PreparedAccount> {
  const { client, accountId, log } = options;
  const config = await readDeployConfig(options.configPath, options.kvBinding);
  const api = createAccountApi(client, accountId);
  const provisioned = await provisionAccount({
    api,
    config,
    secretsPath: options.secretsPath,
    log,
    dryRun: options.dryRun,
  });
  const { workerIsNew } = provisioned;
  const deployConfig = join(options.projectRoot, DEPLOY_CONFIG);
  const noop = async () => {};
  if (options.dryRun) {
    const exists = !provisioned.kvId.startsWith('(');
    return {
      target: exists
        ? createCloudflareKvTarget({ client, accountId, namespaceId: provisioned.kvId })
        : undefined,
      workerIsNew,
      deployWorker: noop,
      close: noop,
    };
  }
  await config.writeWith(deployConfig, { kvId: provisioned.kvId, d1Id: provisioned.d1Id });
  const bin = options.wranglerBin;
  const cwd = options.projectRoot;
  // One query when nothing is missing (a rerun); the migrations through the REST client
  // otherwise (apply-remote-migrations.ts), before the worker that needs its tables.
  const wanted = (await readdir(config.d1.migrationsDir)).filter((f) => f.endsWith('.sql'));
  const applied = new Set(await api.appliedMigrations(provisioned.d1Id));
  if (wanted.every((name) => applied.has(name))) {
    log(`account: D1 database ${config.d1.name}: migrations up to date`);
  } else {
    log(
      await applyRemoteMigrations({
        api,
        databaseId: provisioned.d1Id,
        database: config.d1.name,
        migrationsDir: config.d1.migrationsDir,
      }),
    );
  }
  return {
    target: createCloudflareKvTarget({ client, accountId, namespaceId: provisioned.kvId }),
    workerIsNew,
    async deployWorker() {
      if (!provisioned.workerNeedsDeploy && !options.forceWorker) {
        log(
          `worker: ${config.worker} has every binding and secret; not redeployed (--worker uploads its code again)`,
        );
        return;
      }
      const secrets = provisioned.newSecrets;
      let secretsDir: string | undefined;
      try {
        let secretsFile: string | undefined;
        if (Object.keys(secrets).length > 0) {
          secretsDir = await mkdtemp(join(tmpdir(), 'edgefeed-secrets-'));
          secretsFile = join(secretsDir, 'secrets.json');
          await writeFile(secretsFile, JSON.stringify(secrets), { mode: 0o600 });
        }
        log(await deployWorker(bin, cwd, deployConfig, secretsFile, config.worker));
      } finally {
        if (secretsDir !== undefined) await rm(secretsDir, { recursive: true, force: true });
      }
    },
    close: () => rm(deployConfig, { force: true }),
  };
}
