import { createCloudflareClient } from './cloudflare-client.ts';
import { createCloudflareKvTarget } from './cloudflare-kv-target.ts';
import type { KvTarget } from './kv-target.ts';
import { openLocalStore } from './local-store-target.ts';
import { createAccountApi } from './provision/account-api.ts';
import { readDeployConfig } from './provision/deploy-config.ts';
import { findNamespace } from './provision/find-namespace.ts';
import { TOKEN_HELP } from './provision/required-permissions.ts';
import { PublishError } from './publish-error.ts';

export const KV_BINDING = 'FEEDS';
export const DEFAULT_API_BASE_URL = 'https://api.cloudflare.com/client/v4';
export const DEFAULT_PERSIST_TO = '.wrangler/state';

export type TargetChoice =
  | { local: true; configPath: string; persistTo: string; migrate?: boolean }
  | {
      local: false;
      configPath: string;
      /** `--namespace-id`; default: the FEEDS binding's id in the config. */
      namespaceId: string | undefined;
      env: NodeJS.ProcessEnv;
      log: (line: string) => void;
      sleep?: (ms: number) => Promise<void>;
    };

/** Cloudflare's credentials from the environment, or a PublishError naming what is missing. */
export function requireCredentials(env: NodeJS.ProcessEnv): { token: string; accountId: string } {
  const token = env.CLOUDFLARE_API_TOKEN;
  const accountId = env.CLOUDFLARE_ACCOUNT_ID;
  const missing = [
    ...(token ? [] : ['CLOUDFLARE_API_TOKEN']),
    ...(accountId ? [] : ['CLOUDFLARE_ACCOUNT_ID']),
  ];
  if (token === undefined || accountId === undefined || missing.length > 0) {
    throw new PublishError(
      `a remote deploy needs ${missing.join(' and ')} in the environment; nothing was written. CLOUDFLARE_API_TOKEN is an API token of the account: ${TOKEN_HELP}. CLOUDFLARE_ACCOUNT_ID is the account id the dashboard shows (Workers & Pages, right column). For the local store, pass --local.`,
    );
  }
  return { token, accountId };
}

/** The namespace a command acts on: Cloudflare's (REST API) or the local store. */
export async function openTarget(choice: TargetChoice): Promise<KvTarget> {
  if (choice.local) return openLocalStore(choice);
  const { token, accountId } = requireCredentials(choice.env);
  const client = createCloudflareClient({
    baseUrl: choice.env.CLOUDFLARE_API_BASE_URL ?? DEFAULT_API_BASE_URL,
    token,
    log: choice.log,
    ...(choice.sleep ? { sleep: choice.sleep } : {}),
  });
  // Without --namespace-id: the namespace wrangler.toml names, else the one the first
  // deploy made, found by its binding or title (CI's wrangler.toml holds no ids).
  const namespaceId =
    choice.namespaceId ??
    (await findNamespace(
      createAccountApi(client, accountId),
      await readDeployConfig(choice.configPath, KV_BINDING),
    ));
  return createCloudflareKvTarget({ client, accountId, namespaceId });
}
