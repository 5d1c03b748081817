import { z } from 'zod';
import { loadWrangler } from './load-wrangler.ts';
import { PublishError } from './publish-error.ts';

// The part of wrangler's resolved config a deploy reads (its own types come from a package
// wrangler bundles, so they are checked here instead).
const ConfigSchema = z.object({
  kv_namespaces: z.array(z.object({ binding: z.string(), id: z.string().optional() })),
  d1_databases: z.array(z.object({ binding: z.string() })),
});

export type WorkerConfig = {
  /** The id of the KV namespace bound as `binding`, or undefined. */
  kvNamespaceId(binding: string): string | undefined;
  /** D1 databases the worker binds: `wrangler d1 migrations apply` takes the binding. */
  d1Bindings: string[];
};

/**
 * Reads wrangler.toml with wrangler's own reader (the file's format is wrangler's). Loaded
 * only when needed: wrangler's bundle takes 1–3 s to load here, which a remote deploy given
 * `--namespace-id` skips.
 */
export async function readWorkerConfig(configPath: string): Promise<WorkerConfig> {
  const { unstable_readConfig } = loadWrangler();
  let config: z.infer<typeof ConfigSchema>;
  try {
    config = ConfigSchema.parse(
      unstable_readConfig({ config: configPath }, { hideWarnings: true }),
    );
  } catch (error) {
    throw new PublishError(
      `${configPath}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    kvNamespaceId: (binding) => config.kv_namespaces.find((ns) => ns.binding === binding)?.id,
    d1Bindings: config.d1_databases.map((db) => db.binding),
  };
}
