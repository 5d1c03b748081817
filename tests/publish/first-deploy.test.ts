// A first deploy in one command, through the real clients: `npm run deploy` (our REST client)
// and the wrangler it runs (`wrangler deploy`) against the
// stand-in of an empty Cloudflare account. One build is shared; each account is its own
// stand-in (an http server, started in milliseconds).
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildPointerSchema } from '../../src/core/build-record.ts';
import { POINTER_KEY } from '../../src/core/store-keys.ts';
import type { Account } from '../support/cloudflare-api/account.ts';
import { type StandIn, startStandIn } from '../support/cloudflare-api/stand-in.ts';
import { freePort } from '../support/free-port.ts';
import {
  ACCOUNT,
  type BuiltSite,
  buildSeeds,
  NAMESPACE,
  SITE_A,
  standInEnv,
  TOKEN,
  tempDir,
} from '../support/publish-fixtures.ts';

const ROOT = join(import.meta.dirname, '../..');

let site: BuiltSite;
const standIns: StandIn[] = [];

beforeAll(async () => {
  site = await buildSeeds(SITE_A, await tempDir('first-deploy-cache'));
});
afterAll(() => Promise.all(standIns.map((standIn) => standIn.close())));

async function emptyAccount(): Promise<StandIn> {
  const standIn = await startStandIn({ accountId: ACCOUNT, token: TOKEN });
  standIns.push(standIn);
  return standIn;
}

type Run = { code: number; output: string };

/** `npm run deploy` of the shared build, as a user runs it (CI=true, as in CI). */
function deploy(
  standIn: StandIn,
  secretsFile: string,
  env: NodeJS.ProcessEnv = {},
  args: string[] = [],
): Promise<Run> {
  return script(standIn, 'deploy.ts', ['--no-build', '--out', site.outDir, ...args], {
    EDGEFEED_SECRETS_FILE: secretsFile,
    ...env,
  });
}

/** `node scripts/<name> <args>` against the stand-in; never rejects. */
function script(
  standIn: StandIn,
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'scripts', name), ...args],
      {
        cwd: ROOT,
        timeout: 120_000,
        env: { ...standInEnv(standIn), CI: 'true', ...env },
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

/** The one resource of each kind a deploy leaves, or a failed expectation. */
function resources(account: Account) {
  const [namespace, ...moreNamespaces] = account.namespaces.values();
  const [database, ...moreDatabases] = account.databases.values();
  const script = account.scripts.get('edgefeed');
  expect(moreNamespaces).toEqual([]);
  expect(moreDatabases).toEqual([]);
  if (namespace === undefined || database === undefined || script === undefined) {
    throw new Error(`the account lacks a resource: ${JSON.stringify(account.inventory())}`);
  }
  return { namespace, database, script };
}

/** What a finished first deploy leaves on the account, checked one by one. */
async function expectDeployed(standIn: StandIn, secretsFile: string) {
  const { account } = standIn;
  const { namespace, database, script } = resources(account);
  expect(namespace.title).toBe('edgefeed-feeds');
  const pointer = BuildPointerSchema.parse(
    JSON.parse(namespace.values.get(POINTER_KEY)?.value.toString('utf8') ?? 'null'),
  );
  expect(pointer.builds[0]?.buildId).toBe(site.buildId);
  expect(database.name).toBe('edgefeed');
  expect(database.tables()).toEqual(
    expect.arrayContaining(['d1_migrations', 'subscriptions', 'dead_letters']),
  );
  const migrations = database.sqlite.prepare('SELECT name FROM d1_migrations ORDER BY id').all();
  // Every migration in the repository, applied in order.
  const files = (await readdir(join(ROOT, 'migrations'))).filter((f) => f.endsWith('.sql'));
  expect(files.length).toBeGreaterThanOrEqual(3);
  expect(migrations.map((row) => row.name)).toEqual(files.sort());
  expect([...account.queues.values()].map((q) => q.queue_name).sort()).toEqual([
    'edgefeed-websub',
    'edgefeed-websub-dead',
  ]);
  const inventory = account.inventory();
  const bindings = inventory.scripts[0]?.bindings.map((text) => JSON.parse(text));
  expect(bindings).toEqual(
    expect.arrayContaining([
      { type: 'kv_namespace', name: 'FEEDS', namespace_id: namespace.id },
      { type: 'd1', name: 'DB', id: database.uuid },
      { type: 'queue', name: 'HUB_QUEUE', queue_name: 'edgefeed-websub' },
      expect.objectContaining({
        type: 'durable_object_namespace',
        name: 'POLITENESS',
        class_name: 'PolitePolling',
      }),
    ]),
  );
  // The secrets the worker holds are the ones kept in the local file, and nowhere else.
  const kept = JSON.parse(await readFile(secretsFile, 'utf8'));
  const version = script.versions.get(script.deployments[0]?.versions[0]?.version_id ?? '');
  expect(Object.fromEntries(version?.secrets ?? [])).toEqual(kept);
  expect(Object.keys(kept).sort()).toEqual([
    'ACTIVITYPUB_PRIVATE_KEY',
    'DEPLOY_TOKEN',
    'STATS_TOKEN',
  ]);
  expect(kept.ACTIVITYPUB_PRIVATE_KEY).toContain('-----BEGIN PRIVATE KEY-----');
  expect(kept.DEPLOY_TOKEN).toMatch(/^[0-9a-f]{64}$/);
  expect(kept.STATS_TOKEN).not.toBe(kept.DEPLOY_TOKEN);
  expect(standIn.unknown).toEqual([]);
}

/** User-visible output: no colour codes (ESC [), no stack lines. */
function expectPlain(output: string) {
  expect(output).not.toContain(`${String.fromCharCode(27)}[`);
  expect(output).not.toMatch(/\n\s+at /);
}

const CREATING = (r: { method: string; path: string }) =>
  r.method !== 'GET' && !r.path.includes('/storage/kv/namespaces/') && !r.path.endsWith('/query');

describe('a first deploy in one command', { timeout: 150_000 }, () => {
  it('refuses without CLOUDFLARE_API_TOKEN, naming it, the permissions and where to create one', async () => {
    const standIn = await emptyAccount();
    const run = await deploy(standIn, join(await tempDir('secrets'), 's.json'), {
      CLOUDFLARE_API_TOKEN: '',
    });
    expect(run.code).toBe(1);
    expect(run.output).toContain('CLOUDFLARE_API_TOKEN');
    expect(run.output).toContain('"Workers Scripts: Edit"');
    expect(run.output).toContain('"D1: Edit"');
    expect(run.output).toContain('https://dash.cloudflare.com/profile/api-tokens');
    expectPlain(run.output);
    expect(standIn.requests).toEqual([]);
  });

  it('creates everything on an empty account, then a rerun from a fresh checkout creates nothing', async () => {
    const standIn = await emptyAccount();
    const secrets = join(await tempDir('secrets'), 'deploy-secrets.json');
    const wranglerToml = await readFile(join(ROOT, 'wrangler.toml'), 'utf8');
    const first = await deploy(standIn, secrets);
    expect(first.code, first.output).toBe(0);
    expect(first.output).toContain('created the KV namespace edgefeed-feeds');
    expect(first.output).toContain(
      'generated DEPLOY_TOKEN, STATS_TOKEN and ACTIVITYPUB_PRIVATE_KEY; kept in',
    );
    expectPlain(first.output);
    await expectDeployed(standIn, secrets);
    const after = standIn.account.inventory();

    // A fresh checkout: wrangler.toml as in git (no ids; neither run wrote any) and no
    // secrets file. Everything is found by name or by the worker's bindings and kept.
    expect(await readFile(join(ROOT, 'wrangler.toml'), 'utf8')).toBe(wranglerToml);
    const seen = standIn.requests.length;
    const second = await deploy(standIn, join(await tempDir('fresh'), 'deploy-secrets.json'));
    expect(second.code, second.output).toBe(0);
    expect(standIn.account.inventory()).toEqual(after);
    expect(standIn.requests.slice(seen).filter(CREATING)).toEqual([]);
    expect(second.output).toMatch(
      /KV namespace edgefeed-feeds \(\w+\) bound to the worker; using it/,
    );
    expect(second.output).toMatch(/queue edgefeed-websub-dead \(\w+\) found by name; using it/);
    expect(second.output).toContain('secret DEPLOY_TOKEN found on the worker; kept');
    expect(second.output).toContain('not redeployed');

    // Rollback without --namespace-id finds the namespace the same way, creating nothing.
    const list = await script(standIn, 'rollback.ts', ['--list']);
    expect(list.code, list.output).toBe(0);
    expect(list.output).toContain(site.buildId);
    expect(standIn.account.inventory()).toEqual(after);
  });

  it('publishes only the content with --namespace-id: nothing is created, no wrangler deploy', async () => {
    const standIn = await startStandIn({
      accountId: ACCOUNT,
      token: TOKEN,
      namespaces: [NAMESPACE],
    });
    standIns.push(standIn);
    const run = await deploy(standIn, join(await tempDir('secrets'), 's.json'), {}, [
      '--namespace-id',
      NAMESPACE,
    ]);
    expect(run.code, run.output).toBe(0);
    expect(standIn.namespace(NAMESPACE).values.has(POINTER_KEY)).toBe(true);
    expect(
      standIn.requests.every((r) => r.path.includes(`/storage/kv/namespaces/${NAMESPACE}`)),
    ).toBe(true);
    const inventory = standIn.account.inventory();
    expect([inventory.databases, inventory.queues, inventory.scripts]).toEqual([[], [], []]);
  });

  it('finishes on a rerun after a failure at each creation step, and a missing permission stops it there', async () => {
    const standIn = await emptyAccount();
    const secrets = join(await tempDir('secrets'), 'deploy-secrets.json');
    const posts = (suffix: string) => (r: { method: string; path: string }) =>
      r.method === 'POST' && r.path.endsWith(suffix);
    const steps = [
      {
        name: 'KV namespace',
        when: posts('/storage/kv/namespaces'),
        says: 'could not create the KV namespace edgefeed-feeds',
      },
      {
        name: 'D1 database',
        when: posts('/d1/database'),
        says: 'could not create the D1 database edgefeed',
      },
      {
        name: 'dead-letter queue (a token without Queues)',
        when: posts('/queues'),
        denied: true,
        says: 'refused to create the queue edgefeed-websub-dead',
      },
      // Two: the deploy's look at d1_migrations (none yet), then making the table.
      {
        name: 'D1 migrations table',
        when: posts('/query'),
        times: 2,
        says: 'could not prepare the migrations table of the D1 database edgefeed',
      },
      {
        name: 'queue wrangler creates',
        when: posts('/queues'),
        says: 'wrangler deploy of the worker edgefeed failed (A request to the Cloudflare API (/accounts/',
      },
      {
        name: 'worker upload',
        when: (r: { method: string; path: string }) =>
          r.method === 'PUT' && r.path.endsWith('/workers/scripts/edgefeed'),
        says: 'workers/scripts/edgefeed) failed',
      },
    ];
    for (const step of steps) {
      const before = standIn.account.inventory();
      standIn.inject(
        step.denied ? { kind: 'denied' } : { kind: 'status', status: 400 },
        step.when,
        step.times ?? 1,
      );
      const seen = standIn.requests.length;
      const run = await deploy(standIn, secrets);
      expect(run.code, `${step.name}: ${run.output}`).toBe(1);
      expect(run.output, step.name).toContain(step.says);
      expectPlain(run.output);
      const failedAt = standIn.requests.findIndex(
        (r, i) => i >= seen && step.when(r) && r.status >= 400,
      );
      expect(failedAt, step.name).toBeGreaterThanOrEqual(seen);
      if (step.denied) {
        // Named: the permission and the resource; nothing created after that point.
        expect(run.output).toContain('"Queues: Edit"');
        expect(run.output).toContain('create the queue edgefeed-websub-dead');
        expect(standIn.requests.slice(failedAt + 1).filter(CREATING)).toEqual([]);
        expect(standIn.account.scripts.size).toBe(0);
      }
      // Nothing half-made twice: what exists is what the previous run made, plus this one's.
      const now = standIn.account.inventory();
      for (const kind of ['namespaces', 'databases', 'queues'] as const) {
        expect(now[kind], step.name).toEqual(expect.arrayContaining(before[kind]));
      }
    }
    const last = await deploy(standIn, secrets);
    expect(last.code, last.output).toBe(0);
    await expectDeployed(standIn, secrets);
  });
});

describe('npm run stand-in', { timeout: 60_000 }, () => {
  it('serves an empty account for any account id and token, and says it is listening', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [
      join(ROOT, 'scripts/stand-in.ts'),
      '--port',
      String(port),
    ]);
    try {
      let printed = '';
      child.stdout.setEncoding('utf8');
      while (!printed.includes('listening')) {
        const [chunk] = await once(child.stdout, 'data');
        printed += String(chunk);
      }
      const base = `http://127.0.0.1:${port}/client/v4/accounts/any-account`;
      const get = (path: string) =>
        fetch(`${base}${path}`, { headers: { Authorization: 'Bearer any-token' } });
      for (const path of ['/storage/kv/namespaces', '/d1/database', '/queues']) {
        const answer = await get(path);
        expect(answer.status, path).toBe(200);
        expect(await answer.json(), path).toMatchObject({ success: true, result: [] });
      }
      expect((await get('/workers/scripts/edgefeed/settings')).status).toBe(404);
      expect((await get('/r2/buckets')).status).toBe(501);
    } finally {
      child.kill();
    }
  });
});
