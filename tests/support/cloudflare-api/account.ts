import { randomUUID } from 'node:crypto';
import { D1Database } from './d1-database.ts';
import { KvNamespace } from './kv-namespace.ts';

/** A queue as the Queues API lists it, with the consumers attached to it. */
export type Queue = {
  queue_id: string;
  queue_name: string;
  created_on: string;
  modified_on: string;
  consumers: QueueConsumer[];
};

export type QueueConsumer = {
  consumer_id: string;
  type: 'worker';
  script: string;
  settings: Record<string, unknown>;
  dead_letter_queue?: string;
  created_on: string;
};

/** One binding of an uploaded worker, as its metadata named it (`type`, `name`, ids). */
export type WorkerBinding = { type: string; name: string } & Record<string, unknown>;

/** One uploaded version of a worker: its bindings (secrets kept apart, with their values). */
export type WorkerVersion = {
  id: string;
  number: number;
  createdOn: string;
  etag: string;
  compatibilityDate: string | undefined;
  compatibilityFlags: string[];
  bindings: WorkerBinding[];
  secrets: Map<string, string>;
  migrationTag: string | undefined;
  mainModule: string | undefined;
  modules: string[];
};

/** A worker: its versions, and its deployments (newest first; the first one serves). */
export type WorkerScript = {
  name: string;
  createdOn: string;
  modifiedOn: string;
  subdomainEnabled: boolean;
  versions: Map<string, WorkerVersion>;
  deployments: WorkerDeployment[];
  scriptSettings: Record<string, unknown>;
};

export type WorkerDeployment = {
  id: string;
  created_on: string;
  source: string;
  strategy: 'percentage';
  versions: { version_id: string; percentage: number }[];
};

/**
 * What one Cloudflare account holds in the stand-in: KV namespaces, D1 databases, queues
 * and workers. Empty to begin with, as a new account is.
 */
export class Account {
  readonly namespaces = new Map<string, KvNamespace>();
  readonly databases = new Map<string, D1Database>();
  readonly queues = new Map<string, Queue>();
  readonly scripts = new Map<string, WorkerScript>();
  /** The account's workers.dev subdomain (`<name>.workers.dev`). */
  readonly subdomain = 'stand-in';

  addNamespace(title: string, id: string = randomUUID().replaceAll('-', '')): KvNamespace {
    const namespace = new KvNamespace(id, title);
    this.namespaces.set(id, namespace);
    return namespace;
  }

  addDatabase(name: string): D1Database {
    const database = new D1Database(name);
    this.databases.set(database.uuid, database);
    return database;
  }

  addQueue(name: string): Queue {
    const now = new Date().toISOString();
    const queue: Queue = {
      queue_id: randomUUID().replaceAll('-', ''),
      queue_name: name,
      created_on: now,
      modified_on: now,
      consumers: [],
    };
    this.queues.set(queue.queue_id, queue);
    return queue;
  }

  /** A database by uuid or by name: D1's endpoints take either. */
  database(idOrName: string): D1Database | undefined {
    return (
      this.databases.get(idOrName) ??
      [...this.databases.values()].find((database) => database.name === idOrName)
    );
  }

  /** A queue by id or by name. */
  queue(idOrName: string): Queue | undefined {
    return (
      this.queues.get(idOrName) ??
      [...this.queues.values()].find((queue) => queue.queue_name === idOrName)
    );
  }

  /** What the account holds, in words and ids: what a test compares before and after. */
  inventory() {
    return {
      namespaces: [...this.namespaces.values()].map((ns) => `${ns.title} ${ns.id}`).sort(),
      databases: [...this.databases.values()].map((db) => `${db.name} ${db.uuid}`).sort(),
      queues: [...this.queues.values()].map((q) => `${q.queue_name} ${q.queue_id}`).sort(),
      scripts: [...this.scripts.values()].map((script) => {
        const version = deployedVersion(script);
        return {
          name: script.name,
          bindings: (version?.bindings ?? []).map((binding) => JSON.stringify(binding)).sort(),
          secrets: [...(version?.secrets.keys() ?? [])].sort(),
        };
      }),
    };
  }
}

/** The version that serves: the newest deployment's (one version at 100 % here). */
export function deployedVersion(script: WorkerScript): WorkerVersion | undefined {
  const id = script.deployments[0]?.versions[0]?.version_id;
  return id === undefined ? undefined : script.versions.get(id);
}
