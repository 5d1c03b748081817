import type { ActorKey } from './actor-key.ts';
import { bytesBase64, SIGNATURE_ALGORITHM } from './actor-key.ts';

/**
 * Headers that sign a request as draft-cavage-http-signatures-12 (§2, what Mastodon and
 * every other server verify): `rsa-sha256` over `(request-target) host date digest` for a
 * POST (with `Digest: SHA-256=…`, RFC 3230, of the body), `(request-target) host date` for a
 * GET; keyId is the signing actor's `{actor}#main-key`.
 */
export async function signRequest(
  key: ActorKey,
  keyId: string,
  method: 'GET' | 'POST',
  url: URL,
  body: Uint8Array | undefined,
  now = Date.now(),
): Promise<Record<string, string>> {
  const headers: Record<string, string> = {
    Host: url.host,
    Date: new Date(now).toUTCString(),
  };
  const names = ['(request-target)', 'host', 'date'];
  if (body !== undefined) {
    headers.Digest = await bodyDigest(body);
    names.push('digest');
  }
  const lines = names.map((name) =>
    name === '(request-target)'
      ? `(request-target): ${method.toLowerCase()} ${url.pathname}${url.search}`
      : `${name}: ${headers[name.charAt(0).toUpperCase() + name.slice(1)]}`,
  );
  const signature = await crypto.subtle.sign(
    SIGNATURE_ALGORITHM,
    key.privateKey,
    new TextEncoder().encode(lines.join('\n')),
  );
  headers.Signature = [
    `keyId="${keyId}"`,
    'algorithm="rsa-sha256"',
    `headers="${names.join(' ')}"`,
    `signature="${bytesBase64(new Uint8Array(signature))}"`,
  ].join(',');
  return headers;
}

/** `SHA-256=<base64>` of a body (RFC 3230 §4.3.2, the form Mastodon sends and checks). */
export async function bodyDigest(body: Uint8Array<ArrayBuffer> | Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', body as Uint8Array<ArrayBuffer>);
  return `SHA-256=${bytesBase64(new Uint8Array(digest))}`;
}
