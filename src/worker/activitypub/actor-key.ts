/**
 * The worker's key pair, from its secret (ACTOR_KEY_SECRET): the private key signs (RSASSA-
 * PKCS1-v1_5 with SHA-256, the `rsa-sha256` of draft-cavage-http-signatures-12 §2.3), the
 * public key is derived from it (its JWK's modulus and exponent) and shown as an SPKI PEM in
 * every actor document. Worked out once per isolate and secret value.
 */
export type ActorKey = {
  privateKey: CryptoKey;
  publicKeyPem: string;
  /** Eight hex digits of the public key's SHA-256: part of an actor document's ETag. */
  fingerprint: string;
};

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

let held: { secret: string; key: Promise<ActorKey> } | undefined;

/** The key of this secret value, or undefined when none is set; throws for a bad one. */
export function actorKeyOf(secret: string | undefined): Promise<ActorKey> | undefined {
  if (secret === undefined || secret.trim() === '') return undefined;
  if (held?.secret !== secret) {
    const key = importActorKey(secret);
    held = { secret, key };
    key.catch(() => {
      if (held?.key === key) held = undefined;
    });
  }
  return held.key;
}

async function importActorKey(secret: string): Promise<ActorKey> {
  const der = base64Bytes(secret.replace(/-----[A-Z ]+-----/g, ''));
  const extractable = await crypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
  const jwk = (await crypto.subtle.exportKey('jwk', extractable)) as JsonWebKey;
  const publicJwk: JsonWebKey = { kty: 'RSA', n: jwk.n, e: jwk.e, alg: 'RS256', ext: true };
  const publicKey = await crypto.subtle.importKey('jwk', publicJwk, ALGORITHM, true, ['verify']);
  const spki = new Uint8Array((await crypto.subtle.exportKey('spki', publicKey)) as ArrayBuffer);
  const privateKey = await crypto.subtle.importKey('pkcs8', der, ALGORITHM, false, ['sign']);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', spki));
  return {
    privateKey,
    publicKeyPem: pem('PUBLIC KEY', spki),
    fingerprint: [...digest.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join(''),
  };
}

/** RFC 7468 textual encoding: base64 in lines of 64 characters between the labels. */
export function pem(label: string, der: Uint8Array): string {
  const lines = bytesBase64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function base64Bytes(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/\s+/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

export const SIGNATURE_ALGORITHM = ALGORITHM;
