import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { PublishError } from './publish-error.ts';

// The part of wrangler's resolved config the local store needs.
const StoreConfigSchema = z.object({
  name: z.string().optional(),
  compatibility_date: z.string().optional(),
  kv_namespaces: z.array(z.object({ binding: z.string(), id: z.string().optional() })),
});

export type KvOnlyConfig = {
  /** A wrangler.json that binds only the namespace, for `getPlatformProxy({ configPath })`. */
  path: string;
  /** Removes the file and whatever wrangler put beside it. */
  remove: () => Promise<void>;
};

/**
 * A wrangler config holding only the KV namespace bound as `binding` (same id or none, so the same
 * Miniflare store). The local store is opened through wrangler's platform proxy, which
 * does not run the worker's code: given the whole wrangler.toml, it finds the
 * `PolitePolling` Durable Object bound to a class of the worker itself, which it cannot
 * host, and warns that the class "will not work in local development" and "is not
 * exported" (wrangler's getPlatformProxy docs: internal Durable Objects are not
 * supported). `wrangler dev`, which runs the worker, exports and serves it; the loader
 * never needed it.
 */
export async function writeKvOnlyConfig(
  configPath: string,
  binding: string,
): Promise<KvOnlyConfig> {
  const { unstable_readConfig } = await import('wrangler');
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
  };
  await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}
