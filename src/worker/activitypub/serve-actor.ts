import type { Context } from 'hono';
import type { WorkerEnv } from '../bindings.ts';
import { isNotModified } from '../conditional-request.ts';
import { loadBody } from '../load-body.ts';
import type { PreparedHeaders } from '../prepared-headers.ts';
import { problemResponse } from '../problem-response.ts';
import { UNAVAILABLE_HEADERS } from '../unavailable.ts';
import { actorKeyOf } from './actor-key.ts';
import { injectPublicKey, keyedEtag } from './inject-public-key.ts';

/**
 * GET and HEAD of an actor document (`{feed}/actor`): the stored bytes with the worker's
 * public key put in. Its ETag is the content hash and the key's fingerprint, known before the
 * body is read, so a 304 and a HEAD cost no KV read, and a 200 one (or none from memory or
 * the edge cache), like every document. 503 when no key is configured.
 */
export async function serveActor(
  c: Context<WorkerEnv>,
  kv: KVNamespace,
  hash: string,
  prepared: PreparedHeaders,
): Promise<Response> {
  const key = actorKeyOf(c.env.ACTIVITYPUB_PRIVATE_KEY);
  if (key === undefined) {
    return problemResponse(
      { status: 503, code: 'no-actor-key', message: 'No ACTIVITYPUB_PRIVATE_KEY is configured.' },
      c.req.header('Accept'),
      UNAVAILABLE_HEADERS,
    );
  }
  const actorKey = await key;
  const etag = keyedEtag(`"${hash}"`, actorKey.fingerprint);
  const validators = { ...prepared.validators, etag };
  if (isNotModified(c.req.raw.headers, validators)) {
    const headers = new Headers(prepared.notModified);
    headers.set('ETag', etag);
    return new Response(null, { status: 304, headers });
  }
  if (c.req.method === 'HEAD') {
    const headers = new Headers(prepared.headers);
    headers.set('ETag', etag);
    headers.delete('Content-Length');
    return new Response(null, { headers });
  }
  return injectPublicKey(await loadBody(c, kv, hash), prepared.headers, actorKey);
}
