// The local serving contract end to end: `npm start` on a free port and a private store,
// serving the repository's sample site (a copy of seeds/ and taxonomy/), what it prints,
// `npm run deploy -- --local` switching it to a changed site, `npm run rollback -- --local`.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BuildPointerSchema } from '../../src/core/build-record.ts';
import { POINTER_KEY } from '../../src/core/store-keys.ts';
import { SERVER_FILE } from '../../src/publish/local-server-file.ts';
import { freePort } from '../support/free-port.ts';
import { tempDir } from '../support/publish-fixtures.ts';

const ROOT = join(import.meta.dirname, '../..');

let dir: string;
let port: number;
let server: ChildProcess | undefined;
let serverLog = '';

const flags = () => [
  '--seeds',
  join(dir, 'seeds'),
  '--out',
  join(dir, 'out'),
  '--cache-dir',
  join(dir, 'cache'),
  '--quiet',
];

async function run(script: string, args: string[]) {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'scripts', script), ...args],
      {
        timeout: 120_000,
      },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

/**
 * The build the store's pointer names, read with wrangler's own `kv key get --local
 * --persist-to` (the store wrangler dev serves, by wrangler's code, not ours).
 */
async function servedBuild(): Promise<string | undefined> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, 'node_modules/wrangler/bin/wrangler.js'),
      ...['kv', 'key', 'get', POINTER_KEY, '--binding', 'FEEDS', '--local', '--text'],
      ...['--persist-to', join(dir, 'state'), '--config', join(ROOT, 'wrangler.toml')],
    ],
    { env: { ...process.env, WRANGLER_SEND_METRICS: 'false' }, timeout: 60_000 },
  );
  const parsed = BuildPointerSchema.safeParse(JSON.parse(stdout));
  return parsed.success ? parsed.data.current : undefined;
}

beforeAll(async () => {
  dir = await tempDir('local-start');
  // The sample site as a newcomer gets it: its taxonomy beside its seeds is the default.
  await cp(join(ROOT, 'seeds'), join(dir, 'seeds'), { recursive: true });
  await cp(join(ROOT, 'taxonomy'), join(dir, 'taxonomy'), { recursive: true });
  port = await freePort();
  const env = { ...process.env };
  delete env.STATS_TOKEN; // npm start makes one and says which
  delete env.WRANGLER_LOG; // wrangler's own log level, as a user has it
  server = spawn(
    process.execPath,
    [
      join(ROOT, 'scripts/start.ts'),
      ...flags(),
      '--port',
      String(port),
      '--persist-to',
      join(dir, 'state'),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
    },
  );
  server.stdout?.on('data', (chunk) => {
    serverLog += chunk;
  });
  server.stderr?.on('data', (chunk) => {
    serverLog += chunk;
  });
  // Up once its server file is written and wrangler dev answers.
  for (let tries = 0; tries < 240; tries++) {
    if (existsSync(join(dir, 'state', SERVER_FILE))) {
      const answered = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        () => true,
        () => false,
      );
      // Up, and it has said so.
      if (answered && serverLog.includes('edgefeed serves build')) return;
    }
    await delay(500);
  }
  throw new Error(`npm start did not come up:\n${serverLog}`);
}, 180_000);

afterAll(async () => {
  if (server?.exitCode === null) {
    const exited = new Promise((resolve) => server?.on('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
});

/** Lines a user would read as a problem: wrangler's `[wrangler:warn]`, `WARNING`, `Error:`. */
function alarming(output: string): string[] {
  return output.split('\n').filter((line) => /warn|error:/i.test(line));
}

describe('npm start on the sample site', { timeout: 180_000 }, () => {
  it('prints the build summary, then one notice naming the site, a feed and /stats, and no warning', async () => {
    expect(alarming(serverLog), serverLog).toEqual([]);
    expect(serverLog).toMatch(/^files read 66: published 65, unpublished 1/m);
    expect(serverLog).toMatch(/^deploy \(local, /m);
    const origin = `http://127.0.0.1:${port}`;
    const notice = serverLog.slice(serverLog.indexOf('edgefeed serves build'));
    for (const url of [`${origin}/`, `${origin}/feed.json`, `${origin}/feeds.json`]) {
      expect(notice).toContain(url);
    }
    // The /stats line is the command to run, with the token this run made: it works.
    const token = /Authorization: Bearer ([0-9a-f]+)' (\S+\/stats)\b/.exec(notice);
    expect(token, notice).not.toBeNull();
    const stats = await fetch(token?.[2] ?? '', {
      headers: { Authorization: `Bearer ${token?.[1]}` },
    });
    expect(stats.status).toBe(200);
    await stats.arrayBuffer();
    expect(serverLog.match(/edgefeed serves build/g)).toHaveLength(1);
  });

  it('serves a site with topics, providers and a sealed archive page of the site feed', async () => {
    const origin = `http://127.0.0.1:${port}`;
    const list = (await (await fetch(`${origin}/feeds.json`)).json()) as {
      feeds: { kind: string; key: string; count: number }[];
    };
    const kinds = (kind: string) => list.feeds.filter((feed) => feed.kind === kind);
    expect(kinds('provider').length).toBeGreaterThanOrEqual(3);
    expect(kinds('topic').length).toBeGreaterThanOrEqual(6);
    // A child topic's articles are in its parent's feed too (taxonomy/topics/ai.yaml).
    const count = (key: string) => kinds('topic').find((feed) => feed.key === key)?.count ?? 0;
    expect(count('technology')).toBeGreaterThan(count('ai'));
    const feed = (await (await fetch(`${origin}/feed.json`)).json()) as { items: unknown[] };
    expect(feed.items).toHaveLength(50);
    const archive = await fetch(`${origin}/archive/1/feed.json`);
    expect(archive.status).toBe(200);
    expect(archive.headers.get('Cache-Control')).toContain('immutable');
    await archive.arrayBuffer();
  });
});

describe('npm start, then deploy --local and rollback --local', { timeout: 180_000 }, () => {
  it('switches the running server to a changed site and back, without a restart', async () => {
    const first = await servedBuild();
    expect(first, serverLog).toMatch(/^[0-9a-f]{16}$/);
    const server = JSON.parse(await readFile(join(dir, 'state', SERVER_FILE), 'utf8'));
    expect(server).toMatchObject({ port, origin: `http://127.0.0.1:${port}` });

    const seed = join(dir, 'seeds/2026-11-20-harbour-gazette-moves-its-archive-online.md');
    await writeFile(
      seed,
      (await readFile(seed, 'utf8')).replace(/^title: .*$/m, 'title: "A changed title"'),
    );
    const deployed = await run('deploy.ts', [
      '--local',
      '--persist-to',
      join(dir, 'state'),
      ...flags(),
    ]);
    expect(deployed.code, deployed.output).toBe(0);
    expect(alarming(deployed.output), deployed.output).toEqual([]);
    const second = await servedBuild();
    expect(second).not.toBe(first);
    expect(deployed.output).toContain(`switched ${first} → ${second}`);
    // The server answered with the new build before the deploy returned, without a restart.
    expect(deployed.output).toContain(`answers with build ${second}`);
    const feed = await fetch(`http://127.0.0.1:${port}/rss.xml`);
    expect(feed.headers.get('X-Build-Id')).toBe(second);
    await feed.arrayBuffer();

    const rolledBack = await run('rollback.ts', ['--local', '--persist-to', join(dir, 'state')]);
    expect(rolledBack.code, rolledBack.output).toBe(0);
    // The local store opens without wrangler's Durable Object or Request.cf warnings.
    expect(alarming(rolledBack.output), rolledBack.output).toEqual([]);
    expect(rolledBack.output).toContain(`switched ${second} → ${first}`);
    expect(await servedBuild()).toBe(first);
    expect(rolledBack.output).toContain(`answers with build ${first}`);
    const back = await fetch(`http://127.0.0.1:${port}/rss.xml`);
    expect(back.headers.get('X-Build-Id')).toBe(first);
    await back.arrayBuffer();
  });

  it('refuses a second npm start on a store that is being served', async () => {
    const again = await run('start.ts', [
      ...flags(),
      '--port',
      String(port),
      '--persist-to',
      join(dir, 'state'),
    ]);
    expect(again.code).toBe(1);
    expect(again.output).toContain(`already serves ${join(dir, 'state')}`);
  });
});
