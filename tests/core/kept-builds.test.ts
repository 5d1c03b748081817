import { describe, expect, it } from 'vitest';
import type { BuildPointer, BuildRecord } from '../../src/core/build-record.ts';
import { GRACE_SECONDS, previousBuild, switchPointer } from '../../src/core/kept-builds.ts';

function record(n: number): BuildRecord {
  return {
    buildId: n.toString(16).padStart(16, '0'),
    builtAt: '2024-01-01T00:00:00.000Z',
    generator: 'edgefeed',
    siteUrl: 'https://feeds.example.org',
    hubUrl: 'https://feeds.example.org/hub',
    counts: { articles: 1, topics: 1, providers: 1, feeds: 3, documents: 9, archivePages: 0 },
    shards: ['A'.repeat(27)],
  };
}

const T0 = Date.parse('2024-06-01T00:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

/** Deploys builds 1..n, one every `gap` seconds, from an empty namespace. */
function deployed(n: number, gap: number): BuildPointer {
  let pointer: BuildPointer | undefined;
  for (let i = 1; i <= n; i++) pointer = switchPointer(pointer, record(i), at(i * gap));
  if (pointer === undefined) throw new Error('no builds');
  return pointer;
}

describe('switchPointer', () => {
  it('serves the new build first and retires the one served before at the switch time', () => {
    const pointer = deployed(2, 60);
    expect(pointer.current).toBe(record(2).buildId);
    expect(pointer.builds.map((b) => b.buildId)).toEqual([record(2).buildId, record(1).buildId]);
    expect(pointer.builds[0]).toMatchObject({ switchedAt: at(120).toISOString() });
    expect(pointer.builds[0]?.retiredAt).toBeUndefined();
    expect(pointer.builds[1]).toMatchObject({ retiredAt: at(120).toISOString() });
  });

  it('keeps the current build and the 4 most recent others once they are past the grace period', () => {
    const pointer = deployed(9, GRACE_SECONDS + 1);
    expect(pointer.builds.map((b) => b.buildId)).toEqual(
      [9, 8, 7, 6, 5].map((n) => record(n).buildId),
    );
  });

  it('keeps every build retired less than the grace period ago, however many', () => {
    const pointer = deployed(9, 10);
    expect(pointer.builds).toHaveLength(9);
  });

  it('moves a kept build to the front on rollback, without its old retirement', () => {
    const three = deployed(3, 60);
    const back = switchPointer(three, three.builds[2] ?? record(0), at(500));
    expect(back.builds.map((b) => b.buildId)).toEqual([1, 3, 2].map((n) => record(n).buildId));
    expect(back.builds[0]?.retiredAt).toBeUndefined();
    expect(back.builds[0]?.switchedAt).toBe(at(500).toISOString());
    expect(back.builds[1]?.retiredAt).toBe(at(500).toISOString());
    expect(back.builds[2]?.retiredAt).toBe(at(180).toISOString());
  });

  it('is pure: the same pointer, build and time give the same pointer', () => {
    const pointer = deployed(3, 60);
    expect(switchPointer(pointer, record(7), at(999))).toEqual(
      switchPointer(pointer, record(7), at(999)),
    );
  });
});

describe('previousBuild', () => {
  it('is the build served most recently before the current one', () => {
    expect(previousBuild(deployed(3, 60))?.buildId).toBe(record(2).buildId);
  });

  it('is undefined when only the current build is kept', () => {
    expect(previousBuild(deployed(1, 60))).toBeUndefined();
  });
});
