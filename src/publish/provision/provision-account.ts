import { PublishError } from '../publish-error.ts';
import type { AccountApi, WorkerBinding } from './account-api.ts';
import type { DeployConfig } from './deploy-config.ts';
import { namespaceTitle } from './find-namespace.ts';
import { GENERATED_SECRETS } from './generated-secrets.ts';
import { readSecretsFile, type Secrets, writeSecretsFile } from './secrets-file.ts';

export type ProvisionOptions = {
  api: AccountApi;
  config: DeployConfig;
  /** The local secrets file (git-ignored): generated secrets are kept there. */
  secretsPath: string;
  log: (line: string) => void;
  /** `--dry-run`: look everything up, say what would be created, create nothing. */
  dryRun: boolean;
};

/** What the account holds for the worker once provisioned, and what `wrangler deploy` must add. */
export type Provisioned = {
  kvId: string;
  d1Id: string;
  /** Secrets the worker lacks, to upload with it (`wrangler deploy --secrets-file`). */
  newSecrets: Secrets;
  /** False when the worker exists with every binding naming these resources and every secret. */
  workerNeedsDeploy: boolean;
  /** True when the account had no worker of this name before this deploy. */
  workerIsNew: boolean;
};

/**
 * Finds by name what the worker needs, creating only what is missing, in an order a rerun
 * can always finish: everything is looked up first (a token lacking a permission stops the
 * deploy before anything is created), then the KV namespace, the D1 database, the queues
 * wrangler does not create, and the secrets (generated into the local file before they are
 * sent). The worker's own binding wins over a lookup by name: its resources hold its data.
 * Nothing found is changed; nothing is ever deleted.
 */
export async function provisionAccount(options: ProvisionOptions): Promise<Provisioned> {
  const { api, config, log } = options;
  const bindings = await api.workerBindings(config.worker);
  const [namespaces, databases, queues, secretNames] = await Promise.all([
    api.namespaces(),
    api.databases(),
    api.queues(),
    bindings === undefined ? Promise.resolve([]) : api.workerSecrets(config.worker),
  ]);
  log(
    bindings === undefined
      ? `account: no worker ${config.worker} yet; wrangler deploy creates it`
      : `account: worker ${config.worker} found; using it`,
  );
  const bound = (type: string, field: string) => boundId(bindings, type, field);
  const kvTitle = namespaceTitle(config);
  // An id wrangler.toml gives is the user's choice, used as it is, but only if it exists.
  const missing = [
    ...(config.kv.id && !namespaces.some((ns) => ns.id === config.kv.id)
      ? [`KV namespace ${config.kv.id}`]
      : []),
    ...(config.d1.id && !databases.some((db) => db.uuid === config.d1.id)
      ? [`D1 database ${config.d1.id}`]
      : []),
  ];
  if (missing.length > 0) {
    throw new PublishError(
      `wrangler.toml names the ${missing.join(' and the ')}, which the account does not have: remove the id to have the deploy find or create it by name`,
    );
  }
  const kvByName = namespaces.find((ns) => ns.title === kvTitle)?.id;
  const kvId = await findOrCreate(options, {
    what: 'KV namespace',
    name: kvTitle,
    configured: config.kv.id,
    bound: bound(`kv_namespace:${config.kv.binding}`, 'namespace_id'),
    byName: kvByName,
    create: async () => (await api.createNamespace(kvTitle)).id,
  });
  const d1ByName = databases.find((db) => db.name === config.d1.name)?.uuid;
  const d1Id = await findOrCreate(options, {
    what: 'D1 database',
    name: config.d1.name,
    configured: config.d1.id,
    bound: bound(`d1:${config.d1.binding}`, 'id'),
    byName: d1ByName,
    create: async () => (await api.createDatabase(config.d1.name)).uuid,
  });
  for (const name of config.otherQueues) {
    await findOrCreate(options, {
      what: 'queue',
      name,
      configured: undefined,
      bound: undefined,
      byName: queues.find((queue) => queue.queue_name === name)?.queue_id,
      create: async () => (await api.createQueue(name)).queue_id,
    });
  }
  for (const { name } of config.producerQueues) {
    const found = queues.find((queue) => queue.queue_name === name);
    log(
      found
        ? `account: queue ${name} (${found.queue_id}) found by name; using it`
        : `account: queue ${name}: wrangler deploy creates it (a producer binding without id)`,
    );
  }
  const newSecrets = await secretsToSet(options, new Set(secretNames));
  const upToDate =
    bindings !== undefined &&
    bound(`kv_namespace:${config.kv.binding}`, 'namespace_id') === kvId &&
    bound(`d1:${config.d1.binding}`, 'id') === d1Id &&
    config.producerQueues.every(
      (queue) => bound(`queue:${queue.binding}`, 'queue_name') === queue.name,
    ) &&
    Object.keys(newSecrets).length === 0;
  return {
    kvId,
    d1Id,
    newSecrets,
    workerNeedsDeploy: !upToDate,
    workerIsNew: bindings === undefined,
  };
}

type Candidate = {
  what: string;
  name: string;
  /** The id wrangler.toml gives (the user's choice: used as it is). */
  configured: string | undefined;
  /** The id the worker's binding names. */
  bound: string | undefined;
  byName: string | undefined;
  create: () => Promise<string>;
};

async function findOrCreate(options: ProvisionOptions, candidate: Candidate): Promise<string> {
  const { what, name } = candidate;
  const found =
    (candidate.configured && { id: candidate.configured, how: 'named in wrangler.toml' }) ||
    (candidate.bound && { id: candidate.bound, how: 'bound to the worker' }) ||
    (candidate.byName && { id: candidate.byName, how: 'found by name' });
  if (found) {
    options.log(`account: ${what} ${name} (${found.id}) ${found.how}; using it`);
    return found.id;
  }
  if (options.dryRun) {
    options.log(`account (dry run): would create the ${what} ${name}`);
    return `(new ${what})`;
  }
  const id = await candidate.create();
  options.log(`account: created the ${what} ${name} (${id})`);
  return id;
}

/**
 * The generated secrets the worker lacks: the local file's value when it has one (a run
 * stopped after writing it), else a new one, written to the file before it is sent. A
 * secret the worker has is kept as it is, never overwritten.
 */
async function secretsToSet(options: ProvisionOptions, onWorker: ReadonlySet<string>) {
  const kept = await readSecretsFile(options.secretsPath);
  const missing = GENERATED_SECRETS.filter((secret) => !onWorker.has(secret.name));
  for (const secret of GENERATED_SECRETS) {
    if (onWorker.has(secret.name))
      options.log(`account: secret ${secret.name} found on the worker; kept`);
  }
  if (missing.length === 0 || options.dryRun) {
    for (const secret of missing)
      options.log(`account (dry run): would set the secret ${secret.name}`);
    return {};
  }
  const fresh: Secrets = {};
  for (const secret of missing) {
    fresh[secret.name] = kept[secret.name] ?? secret.generate();
  }
  const generated = missing.filter((secret) => kept[secret.name] === undefined);
  const reused = missing.filter((secret) => kept[secret.name] !== undefined);
  if (reused.length > 0) {
    options.log(
      `account: ${listNames(reused)} taken from ${options.secretsPath}, to set on the worker`,
    );
  }
  if (generated.length > 0) {
    await writeSecretsFile(options.secretsPath, { ...kept, ...fresh });
    options.log(
      `account: generated ${listNames(generated)}; kept in ${options.secretsPath} (git-ignored; Cloudflare never shows a secret again): ${generated.map((s) => `${s.name} is the ${s.purpose}`).join('; ')}`,
    );
  }
  return fresh;
}

/** The id field of the worker's binding `type:name`, if it has one. */
function boundId(
  bindings: WorkerBinding[] | undefined,
  typeAndName: string,
  field: string,
): string | undefined {
  const [type, name] = typeAndName.split(':');
  const binding = bindings?.find((b) => b.type === type && b.name === name);
  const value = binding === undefined ? undefined : binding[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `A`, `A and B`, `A, B and C`: the names of some secrets, for one line of output. */
function listNames(secrets: readonly { name: string }[]): string {
  const names = secrets.map((secret) => secret.name);
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
