import { spawn } from 'node:child_process';
import { stripVTControlCharacters } from 'node:util';
import { PublishError } from '../publish-error.ts';
import { PERMISSIONS } from './required-permissions.ts';

export type WranglerRun = { code: number; output: string };

/**
 * Runs wrangler (`bin`, with this Node) in `cwd` and collects what it prints, without
 * colours: its output is shown only when it fails, as plain text inside our message.
 */
export function runWrangler(
  bin: string,
  cwd: string,
  args: readonly string[],
): Promise<WranglerRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd,
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', WRANGLER_SEND_METRICS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (text: string) => {
      output += text;
    };
    child.stdout.setEncoding('utf8').on('data', collect);
    child.stderr.setEncoding('utf8').on('data', collect);
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code: code ?? 1, output: stripVTControlCharacters(output) }),
    );
  });
}

/** wrangler's own lines worth showing when it failed: its errors, without logs and stacks. */
export function wranglerError(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(
      (line) =>
        line !== '' && !/^at |Logs were written|^⛅️|^─+$|If you think this is a bug/.test(line),
    );
  const errorAt = lines.findIndex((line) => /ERROR|✘/.test(line));
  const picked = errorAt >= 0 ? lines.slice(errorAt, errorAt + 4) : lines.slice(-4);
  return picked.join(' / ').replace(/^✘ \[ERROR\] /, '');
}

/**
 * `wrangler deploy`: uploads the worker with its bindings (creating the producer queues it
 * lacks, finding the rest by the ids in `configPath`) and the new secrets, in one version.
 */
export async function deployWorker(
  bin: string,
  cwd: string,
  configPath: string,
  secretsFile: string | undefined,
  worker: string,
): Promise<string> {
  const run = await runWrangler(bin, cwd, [
    'deploy',
    '--config',
    configPath,
    ...(secretsFile === undefined ? [] : ['--secrets-file', secretsFile]),
  ]);
  if (run.code !== 0) {
    throw new PublishError(
      `wrangler deploy of the worker ${worker} failed (${wranglerError(run.output)}); a token refused here lacks "${PERMISSIONS.worker}" (or "${PERMISSIONS.queues}", to create a queue). The content is published; run the same command again to finish.`,
    );
  }
  const version = /Current Version ID:\s*(\S+)/.exec(run.output)?.[1];
  const created = [
    ...run.output.matchAll(/Creating new (?:Queue|KV Namespace|D1 Database) "([^"]+)"/g),
  ].map((m) => m[1]);
  return `worker: ${worker} deployed with wrangler deploy${version ? ` (version ${version})` : ''}${created.length > 0 ? `; wrangler created ${created.join(', ')}` : ''}`;
}
