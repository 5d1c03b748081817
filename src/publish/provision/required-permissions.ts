/**
 * The API token's permissions a deploy needs (Account permissions, "Edit" each), and which
 * resource needs which: named in every refusal, so the user knows what to add.
 */
export const PERMISSIONS = {
  worker: 'Workers Scripts: Edit',
  kv: 'Workers KV Storage: Edit',
  d1: 'D1: Edit',
  queues: 'Queues: Edit',
} as const;

export type ResourceKind = keyof typeof PERMISSIONS;

export const TOKEN_HELP = `Create one at https://dash.cloudflare.com/profile/api-tokens ("Create Token", "Custom token") with the Account permissions ${Object.values(
  PERMISSIONS,
)
  .map((permission) => `"${permission}"`)
  .join(', ')}`;
