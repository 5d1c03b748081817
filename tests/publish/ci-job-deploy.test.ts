// A CI job's deploy (issue 17) through the real command: `--namespace-id`, the cache folder
// kept between runs, `--out` empty each time. The namespace's pointer and what its kept
// builds name are read while the build runs (scripts/deploy.ts); what is switched to is
// still a cold build of the same seeds, whole, found without listing the namespace.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StandIn } from '../support/cloudflare-api/stand-in.ts';
import { crawlNamespace, expectedAnswers } from '../support/crawl-namespace.ts';
import { runScript } from '../support/npm-start.ts';
import {
  buildFolder,
  NAMESPACE,
  SITE_A,
  SITE_B,
  standInEnv,
  startAccount,
  tempDir,
} from '../support/publish-fixtures.ts';
import { writeSeedFolder } from '../support/seed-folder.ts';

const SITE_URL = 'https://feeds.example.org';

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startAccount();
});
afterAll(() => standIn.close());

/** `node scripts/deploy.ts` as a CI job runs it, with a new, empty --out. */
async function ciDeploy(seeds: string, cache: string) {
  const out = await tempDir('ci-out');
  const args = [
    ...['--seeds', seeds, '--out', out, '--cache-dir', cache, '--site-url', SITE_URL],
    ...['--namespace-id', NAMESPACE, '--quiet'],
  ];
  return runScript('deploy.ts', args, 120_000, standInEnv(standIn));
}

describe('a CI job deploying with --namespace-id, only --cache-dir kept', {
  timeout: 120_000,
}, () => {
  it('switches to a cold build of the seeds after an edit and an addition, reading the pointer once and listing nothing', async () => {
    const seeds = await writeSeedFolder(SITE_A);
    const cache = await tempDir('ci-cache');
    const first = await ciDeploy(seeds, cache);
    expect(first.code, first.output).toBe(0);

    await writeFile(join(seeds, 'b.md'), SITE_B['b.md']);
    await writeFile(join(seeds, 'd.md'), SITE_B['d.md']);
    // The one-key-per-path layout's leftovers, listed while the build runs: gone after.
    const values = standIn.namespace(NAMESPACE).values;
    for (const key of ['doc:/rss.xml', 'meta:build'])
      values.set(key, { value: Buffer.from('left over') });
    const before = standIn.requests.length;
    const second = await ciDeploy(seeds, cache);
    expect(second.code, second.output).toBe(0);
    // Known present from the kept build's shards, read while the build ran: not sent again.
    const [, uploaded, there] =
      /(\d+) values uploaded \(\d+ bytes\), (\d+) already there/.exec(second.output) ?? [];
    expect(Number(there), second.output).toBeGreaterThan(0);
    expect(Number(uploaded), second.output).toBeGreaterThan(0);

    const cold = await buildFolder(seeds, await tempDir('cold-cache'), { siteUrl: SITE_URL });
    expect(values.has('doc:/rss.xml') || values.has('meta:build')).toBe(false);
    const crawl = crawlNamespace((key) => values.get(key)?.value, cold.documents.keys());
    expect(crawl.buildId).toBe(cold.buildId);
    expect(crawl.answers).toEqual(expectedAnswers(cold.documents, cold.documents.keys()));

    const made = standIn.requests.slice(before);
    const path = (r: { path: string }) =>
      decodeURIComponent(r.path.replace(/^.*\/namespaces\/[^/]+/, ''));
    expect(
      made.filter((r) => r.method === 'GET' && path(r) === '/values/meta:current'),
    ).toHaveLength(1);
    // Only the old layout's prefixes are listed (`doc:`, `meta:`), never the build's.
    expect(made.filter((r) => path(r) === '/keys').length).toBeLessThanOrEqual(2);
    expect(made.length).toBeLessThanOrEqual(12);
  });
});
