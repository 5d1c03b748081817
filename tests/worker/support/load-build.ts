import type { BuildPointer } from '../../../src/core/build-record.ts';
import { POINTER_KEY } from '../../../src/core/store-keys.ts';
import type { FixtureBuild } from '../../support/provided-context.ts';

/**
 * Puts a build's values into a KV namespace and switches the pointer to it, as a deploy
 * does. `kept` lists builds loaded before, most recently served first; they stay in the
 * pointer for rollback.
 */
export async function loadBuild(
  kv: KVNamespace,
  build: FixtureBuild,
  options: { switchedAt?: string; kept?: BuildPointer['builds'] } = {},
): Promise<BuildPointer> {
  await Promise.all(build.values.map(([key, value]) => kv.put(key, value)));
  const switchedAt = options.switchedAt ?? '2026-01-01T00:00:00.000Z';
  const previous = (options.kept ?? []).map((kept, index) =>
    index === 0 && kept.retiredAt === undefined ? { ...kept, retiredAt: switchedAt } : kept,
  );
  const pointer: BuildPointer = {
    version: 1,
    current: build.record.buildId,
    builds: [{ ...build.record, switchedAt }, ...previous],
  };
  await kv.put(POINTER_KEY, JSON.stringify(pointer));
  return pointer;
}
