/**
 * The worker's secrets a first deploy generates (32 random bytes, hex), sets on the worker
 * and keeps in the local secrets file. One line each: adding a secret is adding a line here
 * (and to .dev.vars.example).
 */
export const GENERATED_SECRETS = [
  {
    name: 'DEPLOY_TOKEN',
    purpose: 'bearer token of POST /_edgefeed/deployed, the deploy trigger',
  },
  { name: 'STATS_TOKEN', purpose: 'bearer token of GET /stats and /stats.json' },
] as const;
