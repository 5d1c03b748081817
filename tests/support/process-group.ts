// Servers that tests start run in a process group of their own, led by
// run-while-parent-lives.ts, so that stopping one ends wrangler, workerd and whatever
// else it started, and nothing that is not ours; and so that a test runner killed
// before its afterAll still ends them (the leader watches its stdin).
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const LEADER = fileURLToPath(new URL('./run-while-parent-lives.ts', import.meta.url));

export type GroupProcess = {
  /** The leader's PID, which is the group's id. */
  pid: number;
  child: ChildProcess;
  /** The last 20,000 characters of the command's stdout and stderr, interleaved. */
  log: () => string;
  /** Ends the group (see stopGroup). */
  stop: () => Promise<void>;
};

/**
 * Runs `node ARGS…` (this Node) in a new process group. The group ends when `stop` is
 * called, when this process goes away (even killed), and when the command exits.
 */
export function spawnGroup(args: readonly string[], env?: NodeJS.ProcessEnv): GroupProcess {
  const child = spawn(process.execPath, [LEADER, process.execPath, ...args], {
    detached: true,
    // stdin stays an open pipe that nobody writes: it closes when this process ends.
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1', ...env },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start node ${args.join(' ')}`);
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  // The pipes must not keep this process alive once the group is gone.
  child.unref();
  return { pid, child, log: () => output, stop: () => stopGroup(pid) };
}

/** Runs `node ARGS…` in its own group to the end; its exit code and output. */
export async function runGroup(
  args: readonly string[],
  timeoutMs: number,
): Promise<{ code: number | null; output: string }> {
  const group = spawnGroup(args);
  const exited = new Promise<number | null>((resolve) => {
    group.child.once('exit', (code) => resolve(code));
  });
  const result = await Promise.race([exited, delay(timeoutMs, 'timeout' as const)]);
  await group.stop();
  if (result === 'timeout') {
    throw new Error(`node ${args.join(' ')} took over ${timeoutMs} ms:\n${group.log()}`);
  }
  return { code: result, output: group.log() };
}

/**
 * SIGTERM to the group, SIGKILL to what is left after `graceMs`; resolves once no process
 * of the group is running, and throws, naming them, if some still are after that.
 */
export async function stopGroup(pgid: number, graceMs = 5000): Promise<void> {
  signalGroup(pgid, 'SIGTERM');
  if (await emptied(pgid, graceMs)) return;
  signalGroup(pgid, 'SIGKILL');
  if (await emptied(pgid, 3000)) return;
  const left = groupMembers(pgid).map((p) => `${p.pid} ${p.name}`);
  throw new Error(`process group ${pgid} still runs after SIGKILL: ${left.join(', ')}`);
}

async function emptied(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (groupMembers(pgid).length === 0) return true;
    if (Date.now() > deadline) return false;
    await delay(100);
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: nothing of the group is left
  }
}

/**
 * The running (not zombie) processes of group `pgid`, from Linux's /proc. Without /proc,
 * whether the leader still exists, which is all other systems tell cheaply.
 */
export function groupMembers(pgid: number): { pid: number; name: string }[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return leaderAlive(pgid) ? [{ pid: pgid, name: '?' }] : [];
  }
  const found: { pid: number; name: string }[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it ended while we looked
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses (proc(5)).
    const close = stat.lastIndexOf(')');
    const [state, , pgrp] = stat.slice(close + 2).split(' ');
    if (Number(pgrp) !== pgid || state === 'Z') continue;
    found.push({ pid: Number(entry), name: stat.slice(stat.indexOf('(') + 1, close) });
  }
  return found;
}

function leaderAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
