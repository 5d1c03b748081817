// A program: `node run-while-parent-lives.ts COMMAND [ARGS…]`, started as the leader of a
// new process group (spawnGroup in process-group.ts). Runs COMMAND in the group and ends
// every process of the group — SIGTERM, then SIGKILL after 5 s (EDGEFEED_GROUP_GRACE_MS,
// which process-group.test.ts shortens) — when the process that
// started it goes away (its stdin, a pipe from that process, closes: even a test runner
// killed with SIGKILL closes it), when it is sent SIGTERM or SIGINT, or when COMMAND
// exits (workerd outliving wrangler). Exits with COMMAND's status once nothing else of
// the group runs.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { groupMembers } from './process-group.ts';

const GRACE_MS = Number(process.env.EDGEFEED_GROUP_GRACE_MS ?? 5000);
const [command, ...args] = process.argv.slice(2);
if (command === undefined) {
  console.error('usage: node run-while-parent-lives.ts COMMAND [ARGS…]');
  process.exit(2);
}

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let ending = false;

/** Signals every other process of this group (this one leads it: its PID is the group id). */
function signalOthers(signal: NodeJS.Signals): void {
  for (const { pid } of groupMembers(process.pid)) {
    if (pid === process.pid) continue;
    try {
      process.kill(pid, signal);
    } catch {
      // it ended meanwhile
    }
  }
}

/** SIGKILLs the rest of the group and exits once none of it runs (or after 2 s). */
function killOthersAndExit(code: number): void {
  signalOthers('SIGKILL');
  const deadline = Date.now() + 2000;
  const check = () => {
    const others = groupMembers(process.pid).filter(({ pid }) => pid !== process.pid);
    if (others.length === 0 || Date.now() > deadline) process.exit(code);
    setTimeout(check, 20);
  };
  check();
}

function end(): void {
  if (ending) return;
  ending = true;
  signalOthers('SIGTERM');
  setTimeout(() => killOthersAndExit(1), GRACE_MS);
}

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, end);
process.stdin.on('close', end);
process.stdin.on('end', end);
process.stdin.resume();

child.on('error', (error) => {
  console.error(`run-while-parent-lives: ${command}: ${error.message}`);
  process.exit(127);
});
child.on('exit', (code, signal) => {
  // Whatever COMMAND left behind in the group goes with it.
  killOthersAndExit(code ?? 128 + (signal === null ? 0 : constants.signals[signal]));
});
