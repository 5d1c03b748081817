import { getPlatformProxy } from 'wrangler';
import {
  type BuildPointer,
  BuildPointerSchema,
  type BuildRecord,
} from '../../src/core/build-record.ts';
import { POINTER_KEY } from '../../src/core/store-keys.ts';
import { writeLocalStoreConfig } from '../../src/publish/local-store-config.ts';
import { CF_FETCH_VARIABLE } from '../../src/publish/local-wrangler-env.ts';

/** A build to load: its record and the value of every key it names (`c:<hash>`, `m:<hash>`). */
export type LocalBuild = { record: BuildRecord; values: Iterable<readonly [string, string]> };

export type LoadLocalBuildOptions = {
  configPath: string;
  /** The folder `wrangler dev --persist-to` is given; its stores live under `<persistTo>/v3`. */
  persistTo: string;
  /** When the switch happens (ISO 8601); default: now. */
  switchedAt?: string;
};

/** The part of a KV binding this loader uses. */
type LocalKv = {
  get(key: string, type: 'text'): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  list(options: { cursor?: string }): Promise<{
    keys: { name: string }[];
    list_complete: boolean;
    cursor?: string;
  }>;
};

/** Puts in flight at once: a few already reach the local store's rate (~450 puts/s). */
const CONCURRENCY = 8;

/**
 * Loads a build into the local store `wrangler dev --persist-to <persistTo>` serves, as a
 * deploy would: every value the store lacks (values never change under their key, so those
 * it holds are skipped), then the pointer, switched to this build with the builds it named
 * before kept for rollback. For the browser test and the benches; `npm run deploy -- --local`
 * is the real publisher. Opens the store with wrangler's getPlatformProxy, which takes the
 * `v3` folder itself.
 */
export async function loadLocalBuild(
  build: LocalBuild,
  options: LoadLocalBuildOptions,
): Promise<{ written: number; present: number; pointer: BuildPointer }> {
  // As the real local store opens it (src/publish/local-store-target.ts): a config binding
  // only the namespace, and no Request.cf fetch, so the proxy warns about nothing.
  const config = await writeLocalStoreConfig(options.configPath, 'FEEDS');
  process.env[CF_FETCH_VARIABLE] ??= 'false';
  const proxy = await getPlatformProxy({
    configPath: config.path,
    persist: { path: `${options.persistTo}/v3` },
  }).catch(async (error: unknown) => {
    await config.remove();
    throw error;
  });
  try {
    const kv = proxy.env.FEEDS;
    if (!isLocalKv(kv)) throw new Error(`${options.configPath} binds no KV namespace as FEEDS`);
    const present = await listKeys(kv);
    const missing = [...build.values].filter(([key]) => !present.has(key));
    for (let start = 0; start < missing.length; start += CONCURRENCY) {
      await Promise.all(
        missing.slice(start, start + CONCURRENCY).map(([key, value]) => kv.put(key, value)),
      );
    }
    const switchedAt = options.switchedAt ?? new Date().toISOString();
    const pointer = switchPointer(await kv.get(POINTER_KEY, 'text'), build.record, switchedAt);
    await kv.put(POINTER_KEY, JSON.stringify(pointer));
    const written = missing.length;
    return { written, present: [...build.values].length - written, pointer };
  } finally {
    await proxy.dispose();
    await config.remove();
  }
}

/** The pointer after switching to `record`: it first, then every other build kept before. */
function switchPointer(previous: string | null, record: BuildRecord, switchedAt: string) {
  const parsed = BuildPointerSchema.safeParse(previous === null ? null : JSON.parse(previous));
  const kept = parsed.success ? parsed.data.builds : [];
  const pointer: BuildPointer = {
    version: 1,
    current: record.buildId,
    builds: [
      { ...record, switchedAt },
      ...kept
        .filter((build) => build.buildId !== record.buildId)
        .map((build) =>
          build.retiredAt === undefined && parsed.data?.current === build.buildId
            ? { ...build, retiredAt: switchedAt }
            : build,
        ),
    ],
  };
  return pointer;
}

async function listKeys(kv: LocalKv): Promise<Set<string>> {
  const keys = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await kv.list(cursor === undefined ? {} : { cursor });
    for (const key of page.keys) keys.add(key.name);
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor !== undefined);
  return keys;
}

function isLocalKv(value: unknown): value is LocalKv {
  if (typeof value !== 'object' || value === null) return false;
  return ['get', 'put', 'list'].every((name) => typeof Reflect.get(value, name) === 'function');
}
