import { deployedVersion, type WorkerScript, type WorkerVersion } from './account.ts';
import { type AccountRequest, failure, jsonBody } from './account-request.ts';
import { envelope, type Settled } from './envelope.ts';
import { deployVersion, describeScript, describeVersion, uploadWorker } from './worker-upload.ts';

const SCRIPT_PATH = /^\/workers\/scripts\/([^/]+)(\/.*)?$/;
const SERVICE_PATH = /^\/workers\/services\/([^/]+)$/;
const WORKER_PATH = /^\/workers\/workers\/([^/]+)$/;

/**
 * The Workers endpoints `wrangler deploy` calls, and the GET ones to look at what it made:
 * the service (does the worker exist), the scripts list, upload, settings (bindings),
 * secrets, the account's workers.dev subdomain and the script's, and cron schedules.
 */
export async function handleWorkerRequest(r: AccountRequest): Promise<Settled | undefined> {
  if (r.path === '/workers/subdomain' && r.method === 'GET') {
    return envelope(200, { result: { subdomain: r.account.subdomain } });
  }
  if (r.path === '/workers/scripts' && r.method === 'GET') {
    return envelope(200, { result: [...r.account.scripts.values()].map(describeScript) });
  }
  const service = SERVICE_PATH.exec(r.path);
  if (service !== null) {
    if (r.method !== 'GET') return undefined;
    const script = r.account.scripts.get(decodeURIComponent(service[1] ?? ''));
    if (script === undefined) return failure(404, 10090, 'workers.api.error.service_not_found');
    return envelope(200, { result: describeService(script) });
  }
  const worker = WORKER_PATH.exec(r.path);
  if (worker !== null) {
    if (r.method !== 'GET') return undefined;
    const script = r.account.scripts.get(decodeURIComponent(worker[1] ?? ''));
    if (script === undefined) return failure(404, 10007, 'workers.api.error.script_not_found');
    return envelope(200, { result: describeWorker(script) });
  }
  const match = SCRIPT_PATH.exec(r.path);
  if (match === null) return undefined;
  const name = decodeURIComponent(match[1] ?? '');
  const rest = match[2] ?? '';
  if (rest === '' && r.method === 'PUT') return uploadWorker(r, name, true);
  if (rest === '/versions' && r.method === 'POST') return uploadWorker(r, name, false);
  const script = r.account.scripts.get(name);
  if (script === undefined) return failure(404, 10007, 'workers.api.error.script_not_found');
  const version = deployedVersion(script);
  const route = `${r.method} ${rest.replace(/^\/secrets\/[^/]+$/, '/secrets/:name')}`;
  switch (route) {
    case 'GET /settings':
      return envelope(200, { result: describeSettings(version) });
    case 'GET /secrets':
      return envelope(200, {
        result: [...(version?.secrets.keys() ?? [])]
          .sort()
          .map((secret) => ({ name: secret, type: 'secret_text' })),
      });
    case 'PUT /secrets': {
      const body = jsonBody(r);
      if (typeof body?.name !== 'string' || typeof body.text !== 'string') {
        return failure(400, 10021, 'a secret needs a name and a text');
      }
      version?.secrets.set(body.name, body.text);
      return envelope(200, { result: { name: body.name, type: 'secret_text' } });
    }
    case 'GET /subdomain':
      return envelope(200, {
        result: { enabled: script.subdomainEnabled, previews_enabled: false },
      });
    case 'POST /subdomain': {
      script.subdomainEnabled = jsonBody(r)?.enabled === true;
      return envelope(200, {
        result: { enabled: script.subdomainEnabled, previews_enabled: false },
      });
    }
    case 'GET /deployments':
      return envelope(200, { result: { deployments: script.deployments } });
    case 'POST /deployments': {
      const versions = jsonBody(r)?.versions;
      const first = Array.isArray(versions) ? (versions[0] as { version_id?: unknown }) : undefined;
      const id = typeof first?.version_id === 'string' ? first.version_id : '';
      if (!script.versions.has(id) || (Array.isArray(versions) && versions.length !== 1)) {
        return failure(400, 10021, 'a deployment names one uploaded version at 100 %');
      }
      return envelope(200, { result: deployVersion(script, id, 'wrangler') });
    }
    case 'GET /versions':
      return envelope(200, {
        result: { items: [...script.versions.values()].reverse().map(describeVersion) },
      });
    case 'GET /script-settings':
    case 'PATCH /script-settings':
      // The settings outside versions (logpush, observability, tail consumers): kept as sent.
      Object.assign(script.scriptSettings, r.method === 'PATCH' ? (jsonBody(r) ?? {}) : {});
      return envelope(200, { result: script.scriptSettings });
    case 'GET /schedules':
    case 'PUT /schedules':
      return envelope(200, { result: { schedules: [] } });
    default:
      return undefined;
  }
}

/** Settings: the bindings (secrets named, never their values), as GET .../settings shows. */
function describeSettings(version: WorkerVersion | undefined) {
  return {
    bindings: [
      ...(version?.bindings ?? []),
      ...[...(version?.secrets.keys() ?? [])].map((name) => ({ name, type: 'secret_text' })),
    ],
    compatibility_date: version?.compatibilityDate,
    compatibility_flags: version?.compatibilityFlags ?? [],
    usage_model: 'standard',
    logpush: false,
    tail_consumers: [],
    ...(version?.migrationTag === undefined ? {} : { migrations: { tag: version.migrationTag } }),
  };
}

function describeService(script: WorkerScript) {
  return {
    id: script.name,
    default_environment: {
      environment: 'production',
      created_on: script.createdOn,
      modified_on: script.modifiedOn,
      script: describeScript(script),
    },
    created_on: script.createdOn,
    modified_on: script.modifiedOn,
  };
}

/** The Workers API's newer "Get Worker" object (workers/workers/{id}). */
function describeWorker(script: WorkerScript) {
  return {
    id: script.name,
    name: script.name,
    created_on: script.createdOn,
    updated_on: script.modifiedOn,
    logpush: false,
    observability: { enabled: false },
    subdomain: { enabled: script.subdomainEnabled, previews_enabled: false },
    tags: [],
    tail_consumers: [],
  };
}
