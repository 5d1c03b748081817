import { generateKeyPairSync } from 'node:crypto';

/**
 * A new ActivityPub signing key (ACTOR_KEY_SECRET): RSA-2048, the private half as a PKCS#8
 * PEM, the form the worker imports (docs/activitypub.md, "Keys").
 */
export function generateActorKey(): string {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  }).privateKey;
}
