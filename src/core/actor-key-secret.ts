/**
 * The name of the worker's secret holding its ActivityPub private key: one RSA-2048 key, a
 * PKCS#8 PEM (or its base64 body on one line), which signs every request the worker sends
 * and whose public half every actor document shows. The one place the name is spelled:
 * `npm start` passes a local key under it, a first deploy puts it with
 * `wrangler secret put` (docs/activitypub.md, "Keys").
 */
export const ACTOR_KEY_SECRET = 'ACTIVITYPUB_PRIVATE_KEY';
