import { randomBytes } from 'node:crypto';
import { ACTOR_KEY_SECRET } from '../../core/actor-key-secret.ts';
import { generateActorKey } from '../generate-actor-key.ts';

/** 32 random bytes in hex: a bearer token. */
const randomToken = () => randomBytes(32).toString('hex');

/**
 * The worker's secrets a first deploy generates, sets on the worker and keeps in the local
 * secrets file. One line each: adding a secret is adding a line here (its own generator if
 * it is not a token) and one to .dev.vars.example.
 */
export const GENERATED_SECRETS: readonly {
  name: string;
  purpose: string;
  generate: () => string;
}[] = [
  {
    name: 'DEPLOY_TOKEN',
    purpose: 'bearer token of POST /_edgefeed/deployed, the deploy trigger',
    generate: randomToken,
  },
  {
    name: 'STATS_TOKEN',
    purpose: 'bearer token of GET /stats and /stats.json',
    generate: randomToken,
  },
  {
    name: ACTOR_KEY_SECRET,
    purpose: 'RSA key that signs what the fediverse actors send (docs/activitypub.md)',
    generate: generateActorKey,
  },
];
