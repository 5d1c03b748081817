// The process groups servers run in during tests (process-group.ts and its leader,
// run-while-parent-lives.ts): whatever way a test ends, nothing it started keeps running.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { groupMembers, runGroup, spawnGroup, stopGroup } from './process-group.ts';

const PROCESS_GROUP = fileURLToPath(new URL('./process-group.ts', import.meta.url));
/**
 * The SIGTERM-to-SIGKILL grace these tests give (5 s for servers): what is checked is that
 * the SIGKILL comes and reaches every process, not how long the grace is.
 */
const GRACE_MS = 300;
/** A process that ignores SIGTERM, then prints its PID, and runs until killed. */
const STUBBORN = `process.on('SIGTERM', () => {}); console.log(process.pid); setInterval(() => {}, 1000);`;
/** Starts a STUBBORN child and, once it is stubborn, prints its PID; stubborn itself. */
const PARENT_OF_STUBBORN = `process.on('SIGTERM', () => {});
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', ${JSON.stringify(STUBBORN)}], { stdio: ['ignore', 'pipe', 'ignore'] });
child.stdout.once('data', (pid) => console.log(String(pid).trim()));
setInterval(() => {}, 1000);`;

const groups: number[] = [];
afterEach(async () => {
  // A failed test must not leave its processes behind either.
  for (const pgid of groups.splice(0)) await stopGroup(pgid, 100).catch(() => {});
});

/** Whether `pid` runs (a zombie, ended but not yet reaped by its parent, does not). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The first line the process prints, as a number. */
async function firstNumber(stream: NodeJS.ReadableStream | null): Promise<number> {
  if (stream === null) throw new Error('no output');
  const [chunk] = await once(stream, 'data');
  return Number(String(chunk).trim().split('\n')[0]);
}

/** Polls until group `pgid` has no running process, for up to `ms`; what is left then. */
async function waitForEmpty(pgid: number, ms: number): Promise<string[]> {
  const deadline = Date.now() + ms;
  while (groupMembers(pgid).length > 0 && Date.now() < deadline) await delay(100);
  return groupMembers(pgid).map((p) => `${p.pid} ${p.name}`);
}

describe('process groups of test servers', { timeout: 30_000 }, () => {
  it('stops the whole group, processes that ignore SIGTERM included', async () => {
    const group = spawnGroup(['-e', PARENT_OF_STUBBORN]);
    groups.push(group.pid);
    const grandchild = await firstNumber(group.child.stdout);
    expect(groupMembers(group.pid).map((p) => p.pid)).toEqual(
      expect.arrayContaining([group.pid, grandchild]),
    );
    await stopGroup(group.pid, GRACE_MS);
    expect(groupMembers(group.pid)).toEqual([]);
    expect(running(grandchild)).toBe(false);
  });

  it('ends the group when the process that started it dies without stopping it', async () => {
    // A test runner killed before its afterAll: it starts a group, says its id once the
    // group's process ignores SIGTERM, and is killed.
    const runner = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { spawnGroup } from ${JSON.stringify(PROCESS_GROUP)};
const group = spawnGroup(['-e', ${JSON.stringify(STUBBORN)}]);
group.child.stdout.once('data', () => console.log(group.pid));
setInterval(() => {}, 1000);`,
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { ...process.env, EDGEFEED_GROUP_GRACE_MS: String(GRACE_MS) },
      },
    );
    const pgid = await firstNumber(runner.stdout);
    groups.push(pgid);
    expect(groupMembers(pgid)).toHaveLength(2); // the leader and STUBBORN
    runner.kill('SIGKILL');
    // The leader sees its stdin close, SIGTERMs the group, SIGKILLs it GRACE_MS later.
    expect(await waitForEmpty(pgid, 15_000)).toEqual([]);
  });

  it("ends what a command leaves behind when it exits, with the command's exit code", async () => {
    const leftBehind = `const { spawn } = require('node:child_process');
const child = spawn(process.execPath, ['-e', ${JSON.stringify(STUBBORN)}], { stdio: ['ignore', 'pipe', 'ignore'] });
child.stdout.once('data', (pid) => { console.log(String(pid).trim()); child.unref(); process.exitCode = 3; child.stdout.destroy(); });`;
    const group = spawnGroup(['-e', leftBehind]);
    groups.push(group.pid);
    const orphan = await firstNumber(group.child.stdout);
    const [code] = await once(group.child, 'exit');
    expect(code).toBe(3);
    expect(running(orphan)).toBe(false);
    expect(groupMembers(group.pid)).toEqual([]);
  });

  it('runs a command to its end in a group: its exit code and output', async () => {
    expect(await runGroup(['-e', 'console.log("done"); process.exitCode = 4;'], 20_000)).toEqual({
      code: 4,
      output: 'done\n',
    });
  });
});
