import { base64Bytes, SIGNATURE_ALGORITHM } from './actor-key.ts';
import {
  fetchRemoteKey,
  isKeyRemembered,
  type RemoteFetchOptions,
  type RemoteKey,
} from './fetch-remote-actor.ts';
import { bodyDigest } from './sign-request.ts';

/** How far a signed Date may be from our clock (draft-cavage-http-signatures-12 §2.3 leaves it to us). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** Headers an inbox POST must sign, at least: what Mastodon signs. */
const REQUIRED = ['(request-target)', 'host', 'date', 'digest'] as const;

export type SignatureCheck = { ok: true; key: RemoteKey } | { ok: false; reason: string };

type SignatureParameters = {
  keyId: string;
  algorithm: string | undefined;
  headers: string[];
  signature: string;
};

/**
 * Whether a POST carries a valid draft-cavage-http-signatures-12 signature: a `Signature`
 * header (§4) naming `rsa-sha256` or `hs2019` (or no algorithm), signed over at least
 * `(request-target) host date digest`; a `Date` within MAX_CLOCK_SKEW_MS; a `Digest`
 * (RFC 3230) that is the SHA-256 of the body; and a signature that the keyId's public key
 * verifies (fetched, through the hub's SSRF guard, only once everything above held; fetched
 * once more when a remembered key fails, as keys get rotated).
 */
export async function verifySignature(
  request: Request,
  body: Uint8Array,
  options: RemoteFetchOptions,
  now = Date.now(),
): Promise<SignatureCheck> {
  const header = request.headers.get('Signature');
  if (header === null)
    return { ok: false, reason: 'the request is not signed (no Signature header)' };
  const parameters = parseSignature(header);
  if (parameters === undefined) return { ok: false, reason: 'the Signature header cannot be read' };
  const { keyId, algorithm, headers } = parameters;
  if (algorithm !== undefined && algorithm !== 'rsa-sha256' && algorithm !== 'hs2019') {
    return { ok: false, reason: `signature algorithm ${algorithm} is not rsa-sha256` };
  }
  const missing = REQUIRED.filter((name) => !headers.includes(name));
  if (missing.length > 0) {
    return { ok: false, reason: `the signature does not cover ${missing.join(', ')}` };
  }
  const date = Date.parse(request.headers.get('Date') ?? '');
  if (Number.isNaN(date) || Math.abs(now - date) > MAX_CLOCK_SKEW_MS) {
    return { ok: false, reason: 'the Date header is missing or more than 5 minutes off' };
  }
  const digests = (request.headers.get('Digest') ?? '').split(',').map((d) => d.trim());
  const expected = await bodyDigest(body);
  if (!digests.some((d) => d.replace(/^sha-256=/i, 'SHA-256=') === expected)) {
    return { ok: false, reason: 'the Digest header is missing or not the SHA-256 of the body' };
  }
  const url = new URL(request.url);
  const lines: string[] = [];
  for (const name of headers) {
    if (name === '(request-target)') {
      lines.push(`(request-target): ${request.method.toLowerCase()} ${url.pathname}${url.search}`);
      continue;
    }
    const value =
      name === 'host' ? (request.headers.get('Host') ?? url.host) : request.headers.get(name);
    if (value === null) return { ok: false, reason: `the signed header ${name} is missing` };
    lines.push(`${name}: ${value}`);
  }
  const signed = new TextEncoder().encode(lines.join('\n'));
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = base64Bytes(parameters.signature);
  } catch {
    return { ok: false, reason: 'the signature is not base64' };
  }
  // A key from memory that fails is fetched once more (it may have been rotated); a key
  // just fetched that fails is not fetched again.
  const attempts = isKeyRemembered(keyId, now) ? [false, true] : [false];
  for (const fresh of attempts) {
    const key = await fetchRemoteKey(keyId, options, fresh, now);
    if ('error' in key) return { ok: false, reason: key.error };
    if (await crypto.subtle.verify(SIGNATURE_ALGORITHM, key.key, signature, signed)) {
      return { ok: true, key };
    }
  }
  return { ok: false, reason: `the signature does not verify with ${keyId}` };
}

/** §4.1: comma-separated `name="value"` parameters. */
function parseSignature(header: string): SignatureParameters | undefined {
  const values = new Map<string, string>();
  for (const match of header.matchAll(/([A-Za-z]+)="([^"]*)"/g)) {
    const [, name, value] = match;
    if (name !== undefined && value !== undefined && !values.has(name)) values.set(name, value);
  }
  const keyId = values.get('keyId');
  const signature = values.get('signature');
  if (keyId === undefined || signature === undefined) return undefined;
  // §2.1.3: without a headers parameter only Date is signed, which is too little here.
  const headers = (values.get('headers') ?? 'date').toLowerCase().split(/\s+/).filter(Boolean);
  return { keyId, algorithm: values.get('algorithm')?.toLowerCase(), headers, signature };
}
