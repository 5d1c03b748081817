import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { z } from 'zod';
import { PublishError } from '../publish-error.ts';

// The part of wrangler.toml a first deploy reads: the worker's name and its bindings to
// account resources (names, and ids when the file has them).
const RawConfigSchema = z.looseObject({
  name: z.string(),
  kv_namespaces: z.array(z.looseObject({ binding: z.string(), id: z.string().optional() })),
  d1_databases: z.array(
    z.looseObject({
      binding: z.string(),
      database_name: z.string(),
      database_id: z.string().optional(),
      migrations_dir: z.string().optional(),
    }),
  ),
  queues: z
    .looseObject({
      producers: z.array(z.looseObject({ binding: z.string(), queue: z.string() })).optional(),
      consumers: z
        .array(z.looseObject({ queue: z.string(), dead_letter_queue: z.string().optional() }))
        .optional(),
    })
    .optional(),
});
type RawConfig = z.infer<typeof RawConfigSchema>;

/** What the deploy provisions, by name, as wrangler.toml configures it. */
export type DeployConfig = {
  worker: string;
  kv: { binding: string; id: string | undefined };
  d1: { binding: string; name: string; id: string | undefined; migrationsDir: string };
  /** Queues bound as producers: `wrangler deploy` finds or creates them by name. */
  producerQueues: { binding: string; name: string }[];
  /** Queues only consumed or used as dead-letter queues: wrangler needs them to exist. */
  otherQueues: string[];
  /** Writes wrangler's config for this deploy: wrangler.toml with the ids resolved. */
  writeWith(path: string, ids: { kvId: string; d1Id: string }): Promise<void>;
};

/** An id of all zeros is a placeholder (older checkouts): the same as none. */
const isPlaceholder = (id: string | undefined) => id === undefined || /^[0-]*$/.test(id);

/**
 * Reads `configPath` for the binding named `kvBinding` and the D1 database. As TOML (the
 * fields read here are plain TOML), not with wrangler's reader: importing wrangler takes
 * 1.5–9 s here, and a deploy with nothing to create runs no wrangler at all.
 */
export async function readDeployConfig(
  configPath: string,
  kvBinding: string,
): Promise<DeployConfig> {
  let raw: RawConfig;
  try {
    raw = RawConfigSchema.parse(parseToml(await readFile(configPath, 'utf8')));
  } catch (error) {
    throw new PublishError(
      `${configPath}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const kv = raw.kv_namespaces.find((ns) => ns.binding === kvBinding);
  const d1 = raw.d1_databases[0];
  if (kv === undefined || d1 === undefined) {
    throw new PublishError(
      `${configPath} needs a [[kv_namespaces]] binding "${kvBinding}" and a [[d1_databases]] entry`,
    );
  }
  const producers = raw.queues?.producers ?? [];
  const producerNames = new Set(producers.map((p) => p.queue));
  const consumed = (raw.queues?.consumers ?? []).flatMap((c) => [
    c.queue,
    ...(c.dead_letter_queue ? [c.dead_letter_queue] : []),
  ]);
  return {
    worker: raw.name,
    kv: { binding: kvBinding, id: isPlaceholder(kv.id) ? undefined : kv.id },
    d1: {
      binding: d1.binding,
      name: d1.database_name,
      id: isPlaceholder(d1.database_id) ? undefined : d1.database_id,
      // wrangler's default folder, relative to the config file.
      migrationsDir: resolve(dirname(configPath), d1.migrations_dir ?? 'migrations'),
    },
    producerQueues: producers.map((p) => ({ binding: p.binding, name: p.queue })),
    otherQueues: [...new Set(consumed.filter((name) => !producerNames.has(name)))],
    async writeWith(path, ids) {
      // JSON, which wrangler reads as it reads TOML: relative paths (main, migrations_dir)
      // resolve from the file's folder, so it is written beside wrangler.toml.
      const config = {
        ...raw,
        kv_namespaces: raw.kv_namespaces.map((ns) =>
          ns.binding === kvBinding ? { ...ns, id: ids.kvId } : ns,
        ),
        d1_databases: raw.d1_databases.map((db) =>
          db.binding === d1.binding ? { ...db, database_id: ids.d1Id } : db,
        ),
      };
      await writeFile(path, `${JSON.stringify(config, null, 2)}\n`);
    },
  };
}
