import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { PublishError } from '../publish-error.ts';

/** The git-ignored file in the repository root where a deploy keeps the secrets it generated. */
export const SECRETS_FILE = '.deploy-secrets.json';

const SecretsSchema = z.record(z.string(), z.string());
export type Secrets = z.infer<typeof SecretsSchema>;

/** The secrets kept in `path`, or none when the file does not exist. */
export async function readSecretsFile(path: string): Promise<Secrets> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return {};
    throw error;
  }
  const parsed = SecretsSchema.safeParse(safeJson(text));
  if (!parsed.success) {
    throw new PublishError(
      `${path}: not a JSON object of secret names and values; fix or move it (the worker's secrets are not read back from Cloudflare)`,
    );
  }
  return parsed.data;
}

/**
 * Writes `secrets` to `path`, readable by the user only, whole or not at all (a temporary
 * file renamed): written before the secrets are sent, so a generated secret is never lost.
 */
export async function writeSecretsFile(path: string, secrets: Secrets): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await chmod(temporary, 0o600);
  await rename(temporary, path);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The deploy trigger's token: EDGEFEED_DEPLOY_TOKEN when set (set and empty: none, no call),
 * else the DEPLOY_TOKEN the first deploy kept in the secrets file at `path`.
 */
export async function deployTriggerToken(
  env: NodeJS.ProcessEnv,
  path: string,
): Promise<string | undefined> {
  if (env.EDGEFEED_DEPLOY_TOKEN !== undefined) return env.EDGEFEED_DEPLOY_TOKEN;
  return (await readSecretsFile(path)).DEPLOY_TOKEN;
}

/** The secrets file a command uses: EDGEFEED_SECRETS_FILE, else SECRETS_FILE in `root`. */
export function secretsFilePath(env: NodeJS.ProcessEnv, root: string): string {
  return env.EDGEFEED_SECRETS_FILE || `${root.replace(/\/+$/, '')}/${SECRETS_FILE}`;
}
