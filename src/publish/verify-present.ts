import { isUtf8 } from 'node:buffer';
import { listBuildKeys } from './build-keys.ts';
import type { PublishOptions } from './publish-build.ts';
import { PublishError } from './publish-error.ts';
import { uploadValues } from './upload-values.ts';

export type VerifyOptions = Pick<
  PublishOptions,
  'target' | 'source' | 'sleep' | 'log' | 'verifyWaitsMs'
>;

/** `bulk/get` reads at most this many keys a request; a list page names up to 1,000. */
const READS_PER_REQUEST = 100;
const LISTED_PER_REQUEST = 1000;

/**
 * Checks that the namespace holds every key in `keys` (the values just uploaded), sending
 * again what it lacks (a write KV lost, or one it does not show yet) and looking again after
 * a wait; after the last wait the switch is refused, naming them. It reads the keys back
 * (`bulk/get`, compared byte for byte) when that takes fewer requests than listing a
 * namespace of about `namespaceSize` keys, and lists otherwise (a first deploy).
 */
export async function verifyPresent(
  options: VerifyOptions,
  keys: readonly string[],
  namespaceSize: number,
): Promise<void> {
  const waits = options.verifyWaitsMs ?? [5000, 15_000, 40_000];
  let pending = keys;
  for (let round = 0; ; round++) {
    pending = await findMissing(options, pending, namespaceSize);
    if (pending.length === 0) return;
    const wait = waits[round];
    if (wait === undefined) {
      throw new PublishError(
        `refusing to switch to build ${options.source.record.buildId}: ${options.target.name} lacks ${pending.length} of its keys after uploading them (${pending.slice(0, 10).join(', ')}${pending.length > 10 ? ', …' : ''}); the build served is unchanged: run the same command again`,
      );
    }
    options.log(`deploy: ${pending.length} values not there yet; sending them again`);
    await uploadValues(options.target, options.source, pending, { sleep: options.sleep });
    await options.sleep(wait);
  }
}

async function findMissing(
  options: VerifyOptions,
  keys: readonly string[],
  namespaceSize: number,
): Promise<string[]> {
  const reads = Math.ceil(keys.length / READS_PER_REQUEST);
  const lists = Math.ceil(namespaceSize / LISTED_PER_REQUEST) + 1;
  if (reads > lists) {
    const present = await listBuildKeys(options.target);
    return keys.filter((key) => !present.has(key));
  }
  const expected = new Map<string, Buffer>();
  for (const key of keys) expected.set(key, Buffer.from(await options.source.readValue(key)));
  // bulk/get serves text values only; the few binary ones (icons) are read one by one.
  const text = keys.filter((key) => isUtf8(expected.get(key) ?? Buffer.alloc(0)));
  const found = text.length > 0 ? await options.target.readMany(text) : new Map();
  for (const key of keys) {
    if (!found.has(key)) found.set(key, await options.target.get(key));
  }
  return keys.filter((key) => {
    const value = found.get(key);
    const want = expected.get(key);
    return value === null || value === undefined || want === undefined || !want.equals(value);
  });
}
