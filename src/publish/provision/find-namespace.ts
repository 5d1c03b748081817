import { PublishError } from '../publish-error.ts';
import type { AccountApi } from './account-api.ts';
import type { DeployConfig } from './deploy-config.ts';

/** The title a first deploy gives the namespace: wrangler's name for a provisioned binding. */
export function namespaceTitle(config: DeployConfig): string {
  return `${config.worker}-${config.kv.binding.toLowerCase().replaceAll('_', '-')}`;
}

/**
 * The namespace the worker serves, found without creating anything (for rollback): the id
 * in wrangler.toml, else the worker's binding, else the namespace of the deploy's title.
 */
export async function findNamespace(api: AccountApi, config: DeployConfig): Promise<string> {
  if (config.kv.id !== undefined) return config.kv.id;
  const bindings = await api.workerBindings(config.worker);
  const bound = bindings?.find((b) => b.type === 'kv_namespace' && b.name === config.kv.binding);
  if (typeof bound?.namespace_id === 'string') return bound.namespace_id;
  const title = namespaceTitle(config);
  const found = (await api.namespaces()).find((ns) => ns.title === title);
  if (found === undefined) {
    throw new PublishError(
      `the account has no KV namespace ${title} and no worker ${config.worker} binding one: \`npm run deploy -- --site-url https://your.domain\` creates them (or pass --namespace-id ID)`,
    );
  }
  return found.id;
}
