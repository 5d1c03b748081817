import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateActorKey } from './generate-actor-key.ts';

/** The local store's ActivityPub key file (docs/activitypub.md, "Keys"). */
export const LOCAL_ACTOR_KEY_FILE = 'activitypub-key.pem';

/**
 * The private key `npm start` gives its worker (ACTOR_KEY_SECRET): made once per local
 * store, an RSA-2048 PKCS#8 PEM in `DIR/activitypub-key.pem` (readable by its owner only),
 * and kept, so that remote servers that remember the key keep trusting it across restarts.
 * Returned as its base64 body on one line, which `wrangler dev --var` passes intact.
 */
export function localActorKey(persistTo: string): string {
  const file = join(persistTo, LOCAL_ACTOR_KEY_FILE);
  if (!existsSync(file)) {
    writeFileSync(file, generateActorKey(), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8')
    .replace(/-----[A-Z ]+-----/g, '')
    .replace(/\s+/g, '');
}
