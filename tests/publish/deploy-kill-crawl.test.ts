// Kill a real `npm run deploy` process at every request it makes, and look at the site as a
// reader would at that moment: always one build, whole; then the same command finishes.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../support/cloudflare-api/stand-in.ts';
import { crawlNamespace, expectedAnswers } from '../support/crawl-namespace.ts';
import {
  type BuiltSite,
  deployBuild,
  NAMESPACE,
  pathsOf,
  standInEnv,
  standInTarget,
  startWithSites,
} from '../support/publish-fixtures.ts';

const DEPLOY = join(import.meta.dirname, '../../scripts/deploy.ts');

let standIn: StandIn;
let a: BuiltSite;
let b: BuiltSite;

beforeAll(async () => {
  ({ standIn, a, b } = await startWithSites('kill'));
});
afterAll(() => standIn.close());

const namespace = () => standIn.namespace(NAMESPACE);
const read = (key: string) => namespace().values.get(key)?.value;

/** Runs the deploy command on B's build as its own process; `started` sees the child. */
function deployB(started: (child: ChildProcess) => void = () => {}) {
  const child = spawn(
    process.execPath,
    [DEPLOY, '--no-build', '--out', b.outDir, '--namespace-id', NAMESPACE],
    { env: standInEnv(standIn), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  started(child);
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>(
    (resolve) => child.on('close', (code, signal) => resolve({ code, signal, output })),
  );
}

/** What a reader sees for every path of A and B, and which build that is. */
function crawl() {
  const paths = pathsOf(a, b);
  const seen = crawlNamespace(read, paths);
  const site = seen.buildId === a.buildId ? a : seen.buildId === b.buildId ? b : undefined;
  return { seen, expected: site && expectedAnswers(site.documents, paths) };
}

describe('a deploy killed at every request', { timeout: 600_000 }, () => {
  it('leaves one whole build served at each kill point, and the same command finishes the job', async () => {
    namespace().values.clear();
    await deployBuild(standInTarget(standIn), a.outDir);
    // Garbage for the deploy to collect, so that a kill can land on its deletions too: an
    // interrupted upload's values and the one-key-per-path layout's keys.
    for (const key of [
      `c:${'Z'.repeat(27)}`,
      `m:${'Y'.repeat(27)}`,
      'doc:/rss.xml',
      'meta:build',
    ]) {
      namespace().values.set(key, { value: Buffer.from('left over') });
    }
    const servingA = namespace().snapshot();
    const first = standIn.requests.length;
    const full = await deployB();
    expect(full.code, full.output).toBe(0);
    const total = standIn.requests.length - first;
    const finished = new Set(namespace().values.keys());
    expect(finished.has('doc:/rss.xml')).toBe(false);
    expect(standIn.requests.slice(first).some((r) => r.path.endsWith('/bulk/delete'))).toBe(true);
    expect(crawl().seen.buildId).toBe(b.buildId);

    const servedAfterKill: string[] = [];
    for (let n = 1; n <= total; n++) {
      namespace().restore(servingA);
      const start = standIn.requests.length;
      let child: ChildProcess | undefined;
      standIn.onApplied = (request) => {
        if (request.index - start === n) child?.kill('SIGKILL');
      };
      const killed = await deployB((c) => {
        child = c;
      });
      standIn.onApplied = undefined;
      expect(killed.signal, `kill at request ${n}: ${killed.output}`).toBe('SIGKILL');

      const after = crawl();
      expect(after.expected, `kill at request ${n} serves ${after.seen.buildId}`).toBeDefined();
      expect(after.seen.answers, `kill at request ${n}`).toEqual(after.expected);
      servedAfterKill.push(after.seen.buildId === a.buildId ? 'A' : 'B');

      const again = await deployB();
      expect(again.code, `rerun after a kill at request ${n}: ${again.output}`).toBe(0);
      expect(crawl().seen.buildId).toBe(b.buildId);
      expect(crawl().seen.answers).toEqual(crawl().expected);
      expect(new Set(namespace().values.keys()), `rerun after a kill at request ${n}`).toEqual(
        finished,
      );
    }
    // The switch is one request: before it every kill leaves A, from it on B.
    const switchAt = servedAfterKill.indexOf('B');
    expect(switchAt).toBeGreaterThan(0);
    expect(servedAfterKill.slice(switchAt).every((build) => build === 'B')).toBe(true);
    expect(servedAfterKill.slice(0, switchAt).every((build) => build === 'A')).toBe(true);
  });
});
