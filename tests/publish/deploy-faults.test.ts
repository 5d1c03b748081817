import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStoredBuild } from '../../src/compile/store/open-stored-build.ts';
import { POINTER_KEY } from '../../src/core/store-keys.ts';
import type { SeenRequest } from '../support/cloudflare-api/faults.ts';
import type { StandIn } from '../support/cloudflare-api/stand-in.ts';
import { expectServing } from '../support/crawl-namespace.ts';
import {
  type BuiltSite,
  deployBuild,
  NAMESPACE,
  pathsOf,
  standInTarget,
  startWithSites,
} from '../support/publish-fixtures.ts';

let standIn: StandIn;
let a: BuiltSite;
let b: BuiltSite;

beforeAll(async () => {
  ({ standIn, a, b } = await startWithSites('faults'));
});
afterAll(() => standIn.close());

const values = () => standIn.namespace(NAMESPACE).values;
const read = (key: string) => values().get(key)?.value;
const isBulkPut = (r: SeenRequest) => r.method === 'PUT' && r.path.endsWith('/bulk');
const isBulkGet = (r: SeenRequest) => r.method === 'POST' && r.path.endsWith('/bulk/get');

/** Starts each case from A served, then deploys B with `waits` recorded. */
async function fromA() {
  values().clear();
  await deployBuild(standInTarget(standIn), a.outDir);
  const waits: number[] = [];
  return { waits, target: standInTarget(standIn, waits) };
}

/** What a reader sees now, checked to be exactly `site`'s answers for every path of A and B. */
const expectServed = (site: BuiltSite) => expectServing(read, pathsOf(a, b), site);

describe('a deploy converges through the faults Cloudflare can answer with', () => {
  it('retries 500s with exponential backoff', async () => {
    const { waits, target } = await fromA();
    standIn.inject({ kind: 'status', status: 500 }, isBulkPut, 3);
    const summary = await deployBuild(target, b.outDir, { waits });
    expect(summary.switched).toBe(true);
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(target.stats().retries).toBe(3);
    expectServed(b);
  });

  it('waits as long as a 429 says in Retry-After', async () => {
    const { waits, target } = await fromA();
    standIn.inject({ kind: 'status', status: 429, retryAfter: '7' }, isBulkGet, 2);
    await deployBuild(target, b.outDir, { waits });
    expect(waits).toEqual([7000, 7000]);
    expectServed(b);
  });

  it('retries a dropped connection, whether or not the request was applied', async () => {
    const { waits, target } = await fromA();
    standIn.inject({ kind: 'drop' }, isBulkPut, 1);
    standIn.inject(
      { kind: 'drop', applied: true },
      (r) => r.method === 'PUT' && r.path.endsWith(`/values/${encodeURIComponent(POINTER_KEY)}`),
      1,
    );
    await deployBuild(target, b.outDir, { waits });
    expect(target.stats().retries).toBe(2);
    expectServed(b);
  });

  it('sends again the keys a bulk write lists in unsuccessful_keys', async () => {
    const { waits, target } = await fromA();
    standIn.inject({ kind: 'partial', every: 2 }, isBulkPut, 1);
    const first = standIn.requests.length;
    const summary = await deployBuild(target, b.outDir, { waits });
    const puts = standIn.requests.slice(first).filter(isBulkPut);
    expect(puts).toHaveLength(2);
    expect(waits).toEqual([1000]);
    expect(summary.switched).toBe(true);
    expectServed(b);
  });

  it('gives up after its bound, naming the request, and the old build keeps serving', async () => {
    const { waits, target } = await fromA();
    standIn.inject({ kind: 'status', status: 503 }, isBulkPut, Number.POSITIVE_INFINITY);
    await expect(deployBuild(target, b.outDir, { waits })).rejects.toThrow(
      /PUT \/accounts\/\w+\/storage\/kv\/namespaces\/\w+\/bulk failed 7 times \(last: HTTP 503/,
    );
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000, 30_000]);
    standIn.clearFaults();
    expectServed(a);
  });

  it('refuses to switch when a written value never shows up, listing the missing keys', async () => {
    const { waits, target } = await fromA();
    const lost = newKeysOfB();
    standIn.inject({ kind: 'lose', keys: lost }, isBulkPut, Number.POSITIVE_INFINITY);
    const attempt = deployBuild(target, b.outDir, { waits });
    await expect(attempt).rejects.toThrow(`refusing to switch to build ${b.buildId}`);
    await expect(attempt).rejects.toThrow(lost[0] ?? 'no key');
    standIn.clearFaults();
    expectServed(a);
  });
});

/** One key B names that the namespace (serving A) lacks: one a deploy of B uploads. */
function newKeysOfB(): string[] {
  const present = new Set(values().keys());
  return [...openStoredBuild(b.outDir).keys()].filter((key) => !present.has(key)).slice(0, 1);
}
