import { join, resolve } from 'node:path';
import { applyLocalMigrations, type LocalD1 } from './apply-local-migrations.ts';
import type { KvTarget, RequestStats } from './kv-target.ts';
import { loadWrangler } from './load-wrangler.ts';
import { writeLocalStoreConfig } from './local-store-config.ts';
import { CF_FETCH_VARIABLE } from './local-wrangler-env.ts';
import { PublishError } from './publish-error.ts';

/** The part of a Workers KV binding the local target uses (workers-types' KVNamespace). */
type LocalKv = {
  get(key: string, type: 'arrayBuffer'): Promise<ArrayBuffer | null>;
  put(key: string, value: ArrayBuffer): Promise<void>;
  delete(key: string): Promise<void>;
  list(options: { prefix: string; cursor?: string; limit: number }): Promise<{
    keys: { name: string }[];
    list_complete: boolean;
    cursor?: string;
  }>;
};

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return methods.every((m) => typeof Reflect.get(value, m) === 'function');
}
const isLocalKv = (value: unknown): value is LocalKv =>
  hasMethods(value, ['get', 'put', 'delete', 'list']);
const isLocalD1 = (value: unknown): value is LocalD1 => hasMethods(value, ['prepare', 'batch']);

/** Writes in flight at once: each is a round trip into workerd, a few already saturate it. */
const CONCURRENCY = 8;

/**
 * The local store `wrangler dev --persist-to DIR` serves: wrangler keeps it under `DIR/v3`,
 * and its platform proxy opens the same Miniflare store (same config, same namespace id).
 * Writes are visible to a running `wrangler dev` at once, so `deploy --local` switches a
 * running server without a restart. The proxy is given a config binding only the namespace
 * (see local-store-config.ts), and never fetches `Request.cf` (see local-wrangler-env.ts).
 * With `migrate`, it binds the worker's D1 databases too and applies their migrations
 * first (apply-local-migrations.ts): `npm start` prepares the whole local store in one
 * workerd.
 */
export async function openLocalStore(options: {
  configPath: string;
  persistTo: string;
  binding?: string;
  migrate?: boolean;
}): Promise<KvTarget> {
  const binding = options.binding ?? 'FEEDS';
  // Loaded here, not at the top: wrangler's bundle takes seconds to load, and a remote
  // deploy never needs it.
  const { getPlatformProxy, unstable_splitSqlQuery } = loadWrangler();
  const config = await writeLocalStoreConfig(options.configPath, binding, options.migrate);
  // The platform proxy's Miniflare runs in this process and reads the switch from its env.
  process.env[CF_FETCH_VARIABLE] ??= 'false';
  const proxy = await getPlatformProxy({
    configPath: config.path,
    persist: { path: join(resolve(options.persistTo), 'v3') },
    remoteBindings: false,
  }).catch(async (error: unknown) => {
    await config.remove();
    throw error;
  });
  const close = async () => {
    await proxy.dispose();
    await config.remove();
  };
  const kv = proxy.env[binding];
  if (!isLocalKv(kv)) {
    await close();
    throw new PublishError(`${options.configPath} binds no KV namespace as ${binding}`);
  }
  for (const database of config.d1) {
    const db = proxy.env[database.binding];
    try {
      if (!isLocalD1(db)) throw new PublishError(`no D1 database bound as ${database.binding}`);
      await applyLocalMigrations({
        db,
        migrationsDir: database.migrationsDir,
        table: database.migrationsTable,
        splitSql: unstable_splitSqlQuery,
      });
    } catch (error) {
      await close();
      throw error;
    }
  }
  const stats: RequestStats = { requests: 0, retries: 0 };
  const counted = <T>(work: Promise<T>): Promise<T> => {
    stats.requests++;
    return work;
  };
  const each = async (keys: readonly string[], task: (key: string) => Promise<void>) => {
    const failed: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < keys.length) {
        const key = keys[next++];
        if (key === undefined) continue;
        try {
          await counted(task(key));
        } catch {
          failed.push(key);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, keys.length) }, worker));
    return { failed };
  };
  return {
    name: `the local store in ${options.persistTo}`,
    check: async () => {},
    async listKeys(prefix, cursor) {
      const page = await counted(kv.list({ prefix, limit: 1000, ...(cursor ? { cursor } : {}) }));
      const keys = page.keys.map((key) => key.name);
      return page.list_complete || !page.cursor ? { keys } : { keys, cursor: page.cursor };
    },
    async get(key) {
      const value = await counted(kv.get(key, 'arrayBuffer'));
      return value === null ? null : new Uint8Array(value);
    },
    async readMany(keys) {
      const found = new Map<string, Uint8Array | null>();
      const { failed } = await each(keys, async (key) => {
        const value = await kv.get(key, 'arrayBuffer');
        found.set(key, value === null ? null : new Uint8Array(value));
      });
      if (failed.length > 0)
        throw new PublishError(`could not read ${failed.length} values from the local store`);
      return found;
    },
    put: (key, value) => counted(kv.put(key, toArrayBuffer(value))),
    async putMany(pairs) {
      const values = new Map(pairs.map((pair) => [pair.key, pair.value]));
      return each([...values.keys()], async (key) => {
        const value = values.get(key);
        if (value !== undefined) await kv.put(key, toArrayBuffer(value));
      });
    },
    deleteMany: (keys) => each(keys, (key) => kv.delete(key)),
    stats: () => ({ ...stats }),
    close,
  };
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new ArrayBuffer(bytes.byteLength);
  new Uint8Array(copy).set(bytes);
  return copy;
}
