import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { loadWrangler } from './load-wrangler.ts';
import { PublishError } from './publish-error.ts';

// The part of wrangler's resolved config the local store needs.
const D1EntrySchema = z.looseObject({
  binding: z.string(),
  migrations_dir: z.string().optional(),
  migrations_table: z.string().optional(),
});
const StoreConfigSchema = z.object({
  name: z.string().optional(),
  compatibility_date: z.string().optional(),
  kv_namespaces: z.array(z.object({ binding: z.string(), id: z.string().optional() })),
  d1_databases: z.array(D1EntrySchema).default([]),
});

/** A D1 database of the worker, as the local store binds it, and where its migrations are. */
export type LocalD1Database = {
  binding: string;
  /** Absolute: wrangler reads `migrations_dir` relative to the config file. */
  migrationsDir: string;
  /** wrangler's default is `d1_migrations`. */
  migrationsTable: string;
};

export type LocalStoreConfig = {
  /** A wrangler.json that binds only the stores, for `getPlatformProxy({ configPath })`. */
  path: string;
  /** The D1 databases it binds (none unless asked for). */
  d1: LocalD1Database[];
  /** Removes the file and whatever wrangler put beside it. */
  remove: () => Promise<void>;
};

/**
 * A wrangler config holding only the KV namespace bound as `binding` (same id or none, so
 * the same Miniflare store) and, with `withD1`, the worker's D1 databases as wrangler.toml
 * declares them (same entries, so the same local databases `wrangler dev` opens). The local
 * store is opened through wrangler's platform proxy, which
 * does not run the worker's code: given the whole wrangler.toml, it finds the
 * `PolitePolling` Durable Object bound to a class of the worker itself, which it cannot
 * host, and warns that the class "will not work in local development" and "is not
 * exported" (wrangler's getPlatformProxy docs: internal Durable Objects are not
 * supported). `wrangler dev`, which runs the worker, exports and serves it; the loader
 * never needed it.
 */
export async function writeLocalStoreConfig(
  configPath: string,
  binding: string,
  withD1 = false,
): Promise<LocalStoreConfig> {
  const { unstable_readConfig } = loadWrangler();
  const parsed = StoreConfigSchema.safeParse(
    unstable_readConfig({ config: configPath }, { hideWarnings: true }),
  );
  if (!parsed.success) throw new PublishError(`${configPath}: ${parsed.error.message}`);
  const namespace = parsed.data.kv_namespaces.find((ns) => ns.binding === binding);
  if (namespace === undefined) {
    throw new PublishError(`${configPath} binds no KV namespace as ${binding}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'edgefeed-local-store-'));
  const path = join(dir, 'wrangler.json');
  const config = {
    name: parsed.data.name ?? 'edgefeed',
    ...(parsed.data.compatibility_date
      ? { compatibility_date: parsed.data.compatibility_date }
      : {}),
    // Without an id (provisioned on a first deploy), wrangler's local store is named after
    // the binding: kept the same here, so both open one store.
    kv_namespaces: [namespace.id === undefined ? { binding } : { binding, id: namespace.id }],
    ...(withD1 ? { d1_databases: parsed.data.d1_databases } : {}),
  };
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
  const d1 = withD1
    ? parsed.data.d1_databases.map((db) => ({
        binding: db.binding,
        migrationsDir: resolve(dirname(configPath), db.migrations_dir ?? 'migrations'),
        migrationsTable: db.migrations_table ?? 'd1_migrations',
      }))
    : [];
  return { path, d1, remove: () => rm(dir, { recursive: true, force: true }) };
}
