import { listBuildKeys } from './build-keys.ts';
import type { PublishOptions } from './publish-build.ts';
import { PublishError } from './publish-error.ts';
import { uploadValues } from './upload-values.ts';

/**
 * Lists the namespace until it shows every key the build names. Keys still absent are sent
 * again (a write KV lost, or one its list does not show yet) and listed after a wait; after
 * the last wait the switch is refused, naming them.
 */
export async function verifyPresent(
  options: Pick<PublishOptions, 'target' | 'source' | 'sleep' | 'log' | 'verifyWaitsMs'>,
  named: readonly string[],
): Promise<Set<string>> {
  const waits = options.verifyWaitsMs ?? [5000, 15_000, 40_000];
  for (let round = 0; ; round++) {
    const present = await listBuildKeys(options.target);
    const missing = named.filter((key) => !present.has(key));
    if (missing.length === 0) return present;
    const wait = waits[round];
    if (wait === undefined) {
      throw new PublishError(
        `refusing to switch to build ${options.source.record.buildId}: ${options.target.name} lacks ${missing.length} of its keys after uploading them (${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}); the build served is unchanged: run the same command again`,
      );
    }
    options.log(`deploy: ${missing.length} keys not listed yet; sending them again`);
    await uploadValues(options.target, options.source, missing, { sleep: options.sleep });
    await options.sleep(wait);
  }
}
