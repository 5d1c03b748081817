import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash } from '../../src/compile/store/content-hash.ts';
import { contentKey, POINTER_KEY } from '../../src/core/store-keys.ts';
import { rollbackBuild } from '../../src/publish/rollback-build.ts';
import type { StandIn } from '../support/cloudflare-api/stand-in.ts';
import {
  ACCOUNT,
  type BuiltSite,
  deployBuild,
  NAMESPACE,
  standInEnv,
  standInTarget,
  startWithSites,
} from '../support/publish-fixtures.ts';

const SCRIPTS = join(import.meta.dirname, '../../scripts');

let standIn: StandIn;
let a: BuiltSite;
let b: BuiltSite;

beforeAll(async () => {
  ({ standIn, a, b } = await startWithSites('bad-input'));
});
afterAll(() => standIn.close());

const values = () => standIn.namespace(NAMESPACE).values;

/** Runs a script of ours as `npm run …` would, and returns its exit code and output. */
async function run(script: string, args: string[], env: NodeJS.ProcessEnv) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(SCRIPTS, script), ...args],
      {
        env,
        timeout: 60_000,
      },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

async function servingA() {
  values().clear();
  await deployBuild(standInTarget(standIn), a.outDir);
  await deployBuild(standInTarget(standIn), b.outDir);
  return new Map(values());
}

describe('bad input', { timeout: 60_000 }, () => {
  it('refuses a remote deploy without credentials before anything is written, naming what is missing', async () => {
    const env = { ...standInEnv(standIn), CLOUDFLARE_API_TOKEN: '', CLOUDFLARE_ACCOUNT_ID: '' };
    const seen = standIn.requests.length;
    const result = await run(
      'deploy.ts',
      ['--no-build', '--out', b.outDir, '--namespace-id', NAMESPACE],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      'deploy: a remote deploy needs CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID',
    );
    expect(standIn.requests.length).toBe(seen);
  });

  it('refuses a namespace that does not exist before anything is written', async () => {
    const seen = standIn.requests.length;
    const missing = 'f'.repeat(32);
    const result = await run(
      'deploy.ts',
      ['--no-build', '--out', b.outDir, '--namespace-id', missing],
      standInEnv(standIn),
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain(
      `namespace ${missing} (Cloudflare account ${ACCOUNT}) does not exist`,
    );
    expect(result.output).toContain('wrangler.toml');
    expect(standIn.requests.slice(seen).map((r) => r.method)).toEqual(['GET']);
  });

  it('says the token was refused when Cloudflare refuses it', async () => {
    const env = { ...standInEnv(standIn), CLOUDFLARE_API_TOKEN: 'not-the-token' };
    const result = await run(
      'deploy.ts',
      ['--no-build', '--out', b.outDir, '--namespace-id', NAMESPACE],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain(`Cloudflare refused the API token for account ${ACCOUNT}`);
  });

  it('refuses a remote build without --site-url, with the usage', async () => {
    const result = await run('deploy.ts', ['--seeds', 'nowhere'], standInEnv(standIn));
    expect(result.code).toBe(2);
    expect(result.output).toContain('a remote deploy needs --site-url');
  });

  it('rolls back to an unknown build with an error listing the kept builds, and changes nothing', async () => {
    const before = await servingA();
    const seen = standIn.requests.length;
    const result = await run(
      'rollback.ts',
      ['--namespace-id', NAMESPACE, '0123456789abcdef'],
      standInEnv(standIn),
    );
    expect(result.code).toBe(1);
    expect(result.output).toContain('build 0123456789abcdef is not kept');
    expect(result.output).toContain(`  ${b.buildId}  built`);
    expect(result.output).toContain(`  ${a.buildId}  built`);
    expect(values()).toEqual(before);
    expect(standIn.requests.slice(seen).every((r) => r.method === 'GET')).toBe(true);
  });

  it('refuses to roll back to a build whose content is missing, listing the missing keys', async () => {
    const before = await servingA();
    const gone = [...a.documents.values()].find((doc) => doc.body.includes('First'));
    const key = [...values().keys()].find(
      (k) =>
        k.startsWith('c:') &&
        values().get(k)?.value.toString('utf8') === gone?.body &&
        !isNamedByB(k),
    );
    expect(key).toBeDefined();
    values().delete(key ?? '');
    const target = standInTarget(standIn);
    await expect(
      rollbackBuild({ target, buildId: a.buildId, readShard: (k) => target.get(k), log: () => {} }),
    ).rejects.toThrow(`refusing to switch to build ${a.buildId}: namespace ${NAMESPACE}`);
    await expect(
      rollbackBuild({ target, buildId: a.buildId, readShard: (k) => target.get(k), log: () => {} }),
    ).rejects.toThrow(key ?? 'no key');
    expect(values().get(POINTER_KEY)).toEqual(before.get(POINTER_KEY));
  });

  it('rolls back without an argument to the build served before', async () => {
    await servingA();
    const result = await run('rollback.ts', ['--namespace-id', NAMESPACE], standInEnv(standIn));
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`switched ${b.buildId} → ${a.buildId}`);
  });
});

/** True when B's build also names `key` (so deleting it would break B, not only A). */
function isNamedByB(key: string): boolean {
  return [...b.documents.values()].some((doc) => key === contentKey(contentHash(doc.body)));
}
