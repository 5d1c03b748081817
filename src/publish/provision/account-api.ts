import { z } from 'zod';
import { type CloudflareClient, describeErrors } from '../cloudflare-client.ts';
import { PublishError } from '../publish-error.ts';
import { PERMISSIONS, type ResourceKind } from './required-permissions.ts';

// The v4 envelope's parts read here (https://developers.cloudflare.com/api/): `result`, and
// `result_info` on lists paged with `page` / `per_page`.
const ListSchema = z.object({
  result: z.array(z.record(z.string(), z.unknown())),
  result_info: z.object({ total_pages: z.number().optional() }).nullish(),
});
const ResultSchema = z.object({ result: z.record(z.string(), z.unknown()) });
const NamespaceSchema = z.object({ id: z.string(), title: z.string() });
const DatabaseSchema = z.object({ uuid: z.string(), name: z.string() });
const QueueSchema = z.object({ queue_id: z.string(), queue_name: z.string() });
const BindingSchema = z.looseObject({ name: z.string(), type: z.string() });
const SettingsSchema = z.object({ result: z.object({ bindings: z.array(BindingSchema) }) });
const SecretListSchema = z.object({ result: z.array(z.object({ name: z.string() })) });
const QueryResultSchema = z.object({
  result: z.array(z.object({ results: z.array(z.record(z.string(), z.unknown())) })),
});

export type Namespace = z.infer<typeof NamespaceSchema>;
export type Database = z.infer<typeof DatabaseSchema>;
export type Queue = z.infer<typeof QueueSchema>;
export type WorkerBinding = z.infer<typeof BindingSchema>;

/** A refusal for want of a permission: names it and what it was for. */
export class PermissionError extends PublishError {
  override name = 'PermissionError';
}

/**
 * The account-level calls a first deploy makes through our REST client: list and create KV
 * namespaces, D1 databases and queues, read a worker's bindings and secret names. A 401/403
 * becomes a PermissionError naming the permission and the resource.
 */
export function createAccountApi(client: CloudflareClient, accountId: string) {
  const root = `/accounts/${accountId}`;

  async function call(
    kind: ResourceKind,
    doing: string,
    request: Parameters<CloudflareClient['send']>[0],
    allow404 = false,
  ): Promise<unknown> {
    const response = await client.send(request);
    const detail = `HTTP ${response.status}${describeErrors(response.body)}`;
    if (response.status === 401 || response.status === 403) {
      throw new PermissionError(
        `Cloudflare refused to ${doing} (${detail}): the API token needs the permission "${PERMISSIONS[kind]}" on account ${accountId}. Nothing after this step was done; add the permission and run the same command again.`,
      );
    }
    if (allow404 && response.status === 404) return undefined;
    if (response.status >= 300) throw new PublishError(`could not ${doing}: ${detail}`);
    return JSON.parse(response.body.toString('utf8'));
  }

  async function listAll(kind: ResourceKind, doing: string, path: string, perPage: number) {
    const items: Record<string, unknown>[] = [];
    for (let page = 1; ; page++) {
      const json = ListSchema.parse(
        await call(kind, doing, {
          method: 'GET',
          path,
          query: { page: String(page), per_page: String(perPage) },
        }),
      );
      items.push(...json.result);
      if (json.result.length < perPage || page >= (json.result_info?.total_pages ?? page)) {
        return items;
      }
    }
  }

  const post = (kind: ResourceKind, doing: string, path: string, body: unknown) =>
    call(kind, doing, {
      method: 'POST',
      path,
      body: JSON.stringify(body),
      contentType: 'application/json',
    }).then((json) => ResultSchema.parse(json).result);

  return {
    async namespaces(): Promise<Namespace[]> {
      const items = await listAll(
        'kv',
        'list the KV namespaces',
        `${root}/storage/kv/namespaces`,
        100,
      );
      return items.map((item) => NamespaceSchema.parse(item));
    },
    async createNamespace(title: string): Promise<Namespace> {
      const doing = `create the KV namespace ${title}`;
      return NamespaceSchema.parse(
        await post('kv', doing, `${root}/storage/kv/namespaces`, { title }),
      );
    },
    async databases(): Promise<Database[]> {
      const items = await listAll('d1', 'list the D1 databases', `${root}/d1/database`, 100);
      return items.map((item) => DatabaseSchema.parse(item));
    },
    async createDatabase(name: string): Promise<Database> {
      const doing = `create the D1 database ${name}`;
      return DatabaseSchema.parse(await post('d1', doing, `${root}/d1/database`, { name }));
    },
    async queues(): Promise<Queue[]> {
      const items = await listAll('queues', 'list the queues', `${root}/queues`, 100);
      return items.map((item) => QueueSchema.parse(item));
    },
    async createQueue(name: string): Promise<Queue> {
      const doing = `create the queue ${name}`;
      return QueueSchema.parse(await post('queues', doing, `${root}/queues`, { queue_name: name }));
    },
    /** The worker's bindings, or undefined when there is no worker of that name yet. */
    async workerBindings(worker: string): Promise<WorkerBinding[] | undefined> {
      const json = await call(
        'worker',
        `read the settings of the worker ${worker}`,
        { method: 'GET', path: `${root}/workers/scripts/${worker}/settings` },
        true,
      );
      return json === undefined ? undefined : SettingsSchema.parse(json).result.bindings;
    },
    /**
     * The migrations wrangler recorded as applied to the database (its `d1_migrations`
     * table), or undefined when it cannot tell (no such table yet).
     */
    async appliedMigrations(databaseId: string): Promise<string[] | undefined> {
      const response = await client.send({
        method: 'POST',
        path: `${root}/d1/database/${databaseId}/query`,
        body: JSON.stringify({ sql: 'SELECT name FROM d1_migrations' }),
        contentType: 'application/json',
      });
      if (response.status >= 300) return undefined;
      const parsed = QueryResultSchema.safeParse(JSON.parse(response.body.toString('utf8')));
      const rows = parsed.success ? parsed.data.result[0]?.results : undefined;
      return rows?.map((row) => String(row.name));
    },
    /**
     * Runs `sql` (one statement, or a script: D1 runs a script's statements in one
     * transaction) on the database through D1's query endpoint; the rows of its first
     * result. A refusal names "D1: Edit" and `doing`.
     */
    async query(
      databaseId: string,
      sql: string,
      doing: string,
    ): Promise<Record<string, unknown>[]> {
      const json = await call('d1', doing, {
        method: 'POST',
        path: `${root}/d1/database/${databaseId}/query`,
        body: JSON.stringify({ sql }),
        contentType: 'application/json',
      });
      return QueryResultSchema.parse(json).result[0]?.results ?? [];
    },
    /** The names of the worker's secrets (Cloudflare never gives their values back). */
    async workerSecrets(worker: string): Promise<string[]> {
      const json = await call(
        'worker',
        `list the secrets of the worker ${worker}`,
        { method: 'GET', path: `${root}/workers/scripts/${worker}/secrets` },
        true,
      );
      return json === undefined ? [] : SecretListSchema.parse(json).result.map((s) => s.name);
    },
  };
}

export type AccountApi = ReturnType<typeof createAccountApi>;
