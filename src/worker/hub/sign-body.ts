/**
 * The recognised algorithm names of W3C WebSub §7.1.1, in the order we prefer them. sha256 is
 * the default; sha1 only for a subscriber that asked for it (§8.3: SHA-1 is broken, "a
 * minimum of SHA-256 should be used").
 */
export const SIGNATURE_ALGORITHMS = ['sha256', 'sha384', 'sha512', 'sha1'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];

const WEB_CRYPTO_NAMES: Record<SignatureAlgorithm, string> = {
  sha1: 'SHA-1',
  sha256: 'SHA-256',
  sha384: 'SHA-384',
  sha512: 'SHA-512',
};

/**
 * The `X-Hub-Signature` value for a body (§7.1): `method=signature`, the hex HMAC of the
 * exact request body keyed with the subscriber's hub.secret.
 */
export async function hubSignature(
  algorithm: SignatureAlgorithm,
  secret: string,
  body: ArrayBuffer,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: WEB_CRYPTO_NAMES[algorithm] },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, body));
  let hex = '';
  for (const byte of mac) hex += byte.toString(16).padStart(2, '0');
  return `${algorithm}=${hex}`;
}
