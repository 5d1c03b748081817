import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../tests/support/free-port.ts';

export type DevServer = { origin: string; process: ChildProcess; log: () => string };

/**
 * Starts `wrangler dev` on 127.0.0.1 with its own KV store, in a process group of its own
 * (`detached`) so that stopping it ends wrangler, workerd and nothing else. `extraArgs`
 * go to `wrangler dev` as they are (e.g. `--var STATS_ENABLED:false`).
 */
export async function startWranglerDev(
  repoRoot: string,
  persistTo: string,
  configPath = join(repoRoot, 'wrangler.toml'),
  extraArgs: readonly string[] = [],
): Promise<DevServer> {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const wrangler = join(repoRoot, 'node_modules/wrangler/bin/wrangler.js');
  const args = [
    ...[wrangler, 'dev', '--config', configPath],
    ...['--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort)],
    ...['--persist-to', persistTo, '--show-interactive-dev-session=false', '--log-level', 'warn'],
    ...extraArgs,
  ];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { origin: `http://127.0.0.1:${port}`, process: child, log: () => output };
}

/**
 * `wrangler d1 migrations apply DB --local` against the store `wrangler dev --persist-to
 * persistTo` will use: the D1 schema (migrations/) is in place before the server starts.
 */
export function applyLocalD1Migrations(
  repoRoot: string,
  persistTo: string,
  configPath = join(repoRoot, 'wrangler.toml'),
): Promise<void> {
  const wrangler = join(repoRoot, 'node_modules/wrangler/bin/wrangler.js');
  const args = [wrangler, 'd1', 'migrations', 'apply', 'DB', '--local'];
  args.push('--persist-to', persistTo, '--config', configPath);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: repoRoot, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', CI: '1' } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`wrangler d1 migrations apply failed:\n${stdout}${stderr}`));
        else resolve();
      },
    );
  });
}

/** Polls `path` until it answers 200, or throws with wrangler's output after `ms`. */
export async function waitForHealthy(
  server: DevServer,
  ms: number,
  path = '/healthz',
): Promise<unknown> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (server.process.exitCode !== null) break;
    try {
      const response = await fetch(`${server.origin}${path}`);
      const body = await response.text();
      if (response.status === 200) return JSON.parse(body);
      if (response.status === 503) throw new Error(`healthz 503: ${body.trim()}`);
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('healthz')) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`wrangler dev did not become healthy:\n${server.log()}`);
}

/** Ends the process group started above (SIGTERM, then SIGKILL after `graceMs`). */
export async function stopWranglerDev(server: DevServer, graceMs = 5000): Promise<void> {
  const pid = server.process.pid;
  if (pid === undefined || server.process.exitCode !== null) return;
  const exited = new Promise((resolve) => server.process.once('exit', resolve));
  signalGroup(pid, 'SIGTERM');
  const timer = new Promise((resolve) => setTimeout(resolve, graceMs, 'timeout'));
  if ((await Promise.race([exited, timer])) === 'timeout') signalGroup(pid, 'SIGKILL');
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // the group is already gone
  }
}

/** PIDs of the `workerd` processes descended from `rootPid` (Linux /proc). */
export async function findWorkerdPids(rootPid: number): Promise<number[]> {
  const parents = new Map<number, { ppid: number; name: string }>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses, so split at the last ')'
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      parents.set(Number(entry), { ppid, name });
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  for (const [pid, info] of parents) {
    if (info.name !== 'workerd') continue;
    for (let up = info.ppid; up > 1; up = parents.get(up)?.ppid ?? 0) {
      if (up === rootPid) {
        found.push(pid);
        break;
      }
    }
  }
  return found;
}
