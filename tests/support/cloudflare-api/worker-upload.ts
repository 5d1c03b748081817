import { createHash, randomUUID } from 'node:crypto';
import {
  type Account,
  deployedVersion,
  type WorkerBinding,
  type WorkerScript,
  type WorkerVersion,
} from './account.ts';
import { type AccountRequest, failure } from './account-request.ts';
import { envelope, type Settled } from './envelope.ts';

/**
 * PUT /workers/scripts/{name} ("Upload Worker Module": a new version, deployed at once) and
 * POST /workers/scripts/{name}/versions ("Upload Version": not deployed until a deployment
 * names it). Both take a multipart body whose `metadata` part names the main module, the
 * bindings and the Durable Object migrations. `inherit` bindings take the deployed
 * version's binding of that name; the binding types in `keep_bindings` stay unless redefined.
 */
export async function uploadWorker(
  r: AccountRequest,
  name: string,
  deploy: boolean,
): Promise<Settled> {
  const type = r.request.headers['content-type'] ?? '';
  if (!type.startsWith('multipart/form-data')) {
    return failure(400, 10021, 'expected a multipart/form-data upload');
  }
  const form = await new Response(new Uint8Array(r.body), {
    headers: { 'Content-Type': type },
  }).formData();
  const metadataPart = form.get('metadata');
  const metadataText = typeof metadataPart === 'string' ? metadataPart : await metadataPart?.text();
  let metadata: Record<string, unknown>;
  try {
    metadata = JSON.parse(metadataText ?? '');
  } catch {
    return failure(400, 10021, 'metadata must be JSON');
  }
  const existing = r.account.scripts.get(name);
  if (!deploy && existing === undefined) {
    return failure(404, 10007, 'workers.api.error.script_not_found');
  }
  const previous = existing === undefined ? undefined : deployedVersion(existing);
  const bindings = Array.isArray(metadata.bindings) ? (metadata.bindings as WorkerBinding[]) : [];
  const keep = Array.isArray(metadata.keep_bindings) ? metadata.keep_bindings.map(String) : [];
  const resolved: WorkerBinding[] = [];
  const secrets = new Map<string, string>();
  for (const binding of bindings) {
    if (binding.type === 'inherit') {
      const old = previous?.bindings.find((b) => b.name === binding.name);
      const oldSecret = previous?.secrets.get(binding.name);
      if (old !== undefined) resolved.push(old);
      else if (oldSecret !== undefined) secrets.set(binding.name, oldSecret);
      else return failure(400, 10021, `binding ${binding.name}: nothing to inherit`);
    } else if (binding.type === 'secret_text') {
      secrets.set(binding.name, String(binding.text ?? ''));
    } else {
      const problem = checkBinding(r.account, binding);
      if (problem !== undefined) return failure(400, 10021, `binding ${binding.name}: ${problem}`);
      resolved.push(binding);
    }
  }
  // Secrets are never removed by an upload (wrangler: "secrets are never deleted by deployments").
  for (const [secret, value] of previous?.secrets ?? []) {
    if (!secrets.has(secret)) secrets.set(secret, value);
  }
  for (const old of previous?.bindings ?? []) {
    if (keep.includes(old.type) && !resolved.some((b) => b.name === old.name)) resolved.push(old);
  }
  const migrations = metadata.migrations as { new_tag?: string } | undefined;
  const now = new Date().toISOString();
  const script: WorkerScript = existing ?? {
    name,
    createdOn: now,
    modifiedOn: now,
    subdomainEnabled: false,
    versions: new Map(),
    deployments: [],
    scriptSettings: { logpush: false, tail_consumers: [], observability: { enabled: false } },
  };
  const version: WorkerVersion = {
    id: randomUUID(),
    number: script.versions.size + 1,
    createdOn: now,
    etag: createHash('sha256').update(r.body).digest('hex'),
    compatibilityDate:
      typeof metadata.compatibility_date === 'string' ? metadata.compatibility_date : undefined,
    compatibilityFlags: Array.isArray(metadata.compatibility_flags)
      ? metadata.compatibility_flags.map(String)
      : [],
    bindings: resolved,
    secrets,
    migrationTag: migrations?.new_tag ?? previous?.migrationTag,
    mainModule: typeof metadata.main_module === 'string' ? metadata.main_module : undefined,
    modules: [...form.keys()].filter((key) => key !== 'metadata'),
  };
  script.versions.set(version.id, version);
  r.account.scripts.set(name, script);
  if (!deploy) return envelope(200, { result: describeVersion(version) });
  deployVersion(script, version.id, 'wrangler');
  return envelope(200, {
    result: {
      ...describeScript(script),
      // The version this upload made: wrangler prints it as "Current Version ID".
      deployment_id: version.id.replaceAll('-', ''),
      available_on_subdomain: script.subdomainEnabled,
    },
  });
}

/** Makes `versionId` serve all traffic: a new deployment, first in the list. */
export function deployVersion(script: WorkerScript, versionId: string, source: string) {
  const now = new Date().toISOString();
  const deployment = {
    id: randomUUID(),
    created_on: now,
    source,
    strategy: 'percentage' as const,
    versions: [{ version_id: versionId, percentage: 100 }],
  };
  script.deployments.unshift(deployment);
  script.modifiedOn = now;
  return deployment;
}

/** A binding to an account resource must name one that exists, as Cloudflare checks. */
function checkBinding(account: Account, binding: WorkerBinding): string | undefined {
  if (binding.type === 'kv_namespace' && !account.namespaces.has(String(binding.namespace_id))) {
    return `no KV namespace ${String(binding.namespace_id)}`;
  }
  if (binding.type === 'd1' && account.database(String(binding.id)) === undefined) {
    return `no D1 database ${String(binding.id)}`;
  }
  if (binding.type === 'queue' && account.queue(String(binding.queue_name)) === undefined) {
    return `no queue ${String(binding.queue_name)}`;
  }
  return undefined;
}

/** A version as "Upload Version" and "Get Version" describe it. */
export function describeVersion(version: WorkerVersion) {
  return {
    id: version.id,
    number: version.number,
    metadata: { created_on: version.createdOn, source: 'wrangler', has_preview: false },
    resources: {
      bindings: version.bindings,
      script: { etag: version.etag, handlers: ['fetch', 'queue', 'scheduled'] },
      script_runtime: {
        compatibility_date: version.compatibilityDate,
        compatibility_flags: version.compatibilityFlags,
      },
    },
    startup_time_ms: 1,
  };
}

/** A script as the scripts list and the upload answer describe it. */
export function describeScript(script: WorkerScript) {
  const version = deployedVersion(script);
  return {
    id: script.name,
    tag: createHash('sha256').update(script.name).digest('hex').slice(0, 32),
    etag: version?.etag,
    handlers: ['fetch', 'queue', 'scheduled'],
    created_on: script.createdOn,
    modified_on: script.modifiedOn,
    usage_model: 'standard',
    compatibility_date: version?.compatibilityDate,
    compatibility_flags: version?.compatibilityFlags ?? [],
    has_modules: true,
    last_deployed_from: 'wrangler',
    ...(version?.migrationTag === undefined ? {} : { migration_tag: version.migrationTag }),
  };
}
