// Servers one `npm test` run shares between its test files (any project, any worker): the
// first file that asks starts one, every other file gets the same one, and it stops when
// the run ends (tests/support/serve-shared-servers.ts, the root globalSetup). For checks
// that only read: a file that changes what a server serves (deploy --local, rollback,
// subscriptions it counts on) starts a server of its own (tests/support/npm-start.ts).
import { inject } from 'vitest';
import type { SharedNpmStart } from './provided-context.ts';

/**
 * `npm start` as a user runs it, on the repository's own seeds/ (no STATS_TOKEN given),
 * on a free port and a store of its own. Resolves once it answers /healthz; rejects with
 * its output when it did not come up.
 */
export async function sharedNpmStart(): Promise<SharedNpmStart> {
  const response = await fetch(`${inject('sharedServers')}/npm-start`, { method: 'POST' });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`the shared npm start did not start:\n${body}`);
  return JSON.parse(body) as SharedNpmStart;
}

/** What the shared `npm start` (and wrangler, and workerd) printed so far. */
export async function sharedNpmStartLog(): Promise<string> {
  const response = await fetch(`${inject('sharedServers')}/npm-start/log`);
  const body = await response.text();
  if (response.status !== 200) throw new Error(body);
  return body;
}
