import { PUBLIC_KEY_PLACEHOLDER } from '../../core/actor-paths.ts';
import type { ActorKey } from './actor-key.ts';

/**
 * An actor document on its way out, with the worker's public key in the place the build
 * left for it (render-actor.ts): the key is the worker's secret's, so a rotation needs no
 * rebuild. The ETag becomes `"<hash>-<key fingerprint>"`, so it changes exactly when the
 * bytes do (RFC 9110 §8.8.3). Costs a string replace on a document of about 1 KB.
 */
export async function injectPublicKey(
  body: ArrayBuffer | ReadableStream,
  headers: [string, string][],
  key: ActorKey,
): Promise<Response> {
  const filled = withPublicKey(await new Response(body).text(), key.publicKeyPem);
  const out = new Headers(headers);
  const etag = out.get('ETag');
  if (etag !== null) out.set('ETag', keyedEtag(etag, key.fingerprint));
  out.delete('Content-Length');
  return new Response(filled, { headers: out });
}

/** An actor document's text with the public key in place of PUBLIC_KEY_PLACEHOLDER. */
export function withPublicKey(text: string, publicKeyPem: string): string {
  return text.replace(PUBLIC_KEY_PLACEHOLDER, JSON.stringify(publicKeyPem));
}

/** A stored document's ETag with the key's fingerprint: `"<hash>-<fingerprint>"`. */
export function keyedEtag(etag: string, fingerprint: string): string {
  return etag.replace(/"$/, `-${fingerprint}"`);
}
