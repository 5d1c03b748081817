// Shared by start.ts and deploy.ts: run the build CLI in its own process and read the bundle.
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: wrangler.toml and node_modules live here. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * Runs `src/compile/cli.ts` with the user's flags and resolves to its exit code. A child
 * process rather than an import: the build's memory (large at 100k seeds) is returned to
 * the system before the loader holds the bundle, and its exit code is the contract.
 */
export function runBuild(args: readonly string[]): Promise<number> {
  return runNode([join(REPO_ROOT, 'src/compile/cli.ts'), ...args]);
}

/** Runs wrangler from node_modules with this Node (>= 22.12, see use-node.sh). */
export function runWrangler(args: readonly string[]): Promise<number> {
  return runNode([join(REPO_ROOT, 'node_modules/wrangler/bin/wrangler.js'), ...args]);
}

function runNode(args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: 'inherit', cwd: process.cwd() });
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(exitCodeOf(code, signal)));
  });
}

/** A shell's convention: a process ended by signal N exits with 128 + N. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (code !== null) return code;
  return signal === null ? 1 : 128 + constants.signals[signal];
}
