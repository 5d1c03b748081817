// The remote side of the ActivityPub inbox tests, written from draft-cavage-http-signatures-12
// (§2.3 the signing string, §4 the Signature header) and RFC 3230 (Digest), not from our code:
// a key pair, the actor document that publishes it, and requests signed with it.

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

export type RemoteActor = {
  id: string;
  keyId: string;
  keys: CryptoKeyPair;
  /** The actor document a key fetch gets, with its publicKeyPem. */
  document: Record<string, unknown>;
};

export async function makeRemoteActor(id: string): Promise<RemoteActor> {
  const keys = (await crypto.subtle.generateKey(
    { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const spki = new Uint8Array(
    (await crypto.subtle.exportKey('spki', keys.publicKey)) as ArrayBuffer,
  );
  const keyId = `${id}#main-key`;
  const document = {
    '@context': ['https://www.w3.org/ns/activitystreams', 'https://w3id.org/security/v1'],
    id,
    type: 'Person',
    inbox: `${id}/inbox`,
    endpoints: { sharedInbox: `${new URL(id).origin}/inbox` },
    publicKey: { id: keyId, owner: id, publicKeyPem: pem('PUBLIC KEY', spki) },
  };
  return { id, keyId, keys, document };
}

export type SignOptions = {
  /** Headers the signature covers (default: what Mastodon signs). */
  covered?: string[];
  date?: Date;
  /** A Digest header other than the body's. */
  digest?: string;
  keyId?: string;
  /** Sign with this key instead of the actor's. */
  privateKey?: CryptoKey;
};

/** A POST of `body` to `url`, signed for `actor`. */
export async function signedPost(
  url: string,
  body: string,
  actor: RemoteActor,
  options: SignOptions = {},
): Promise<Request> {
  const target = new URL(url);
  const bytes = new TextEncoder().encode(body);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const headers: Record<string, string> = {
    host: target.host,
    date: (options.date ?? new Date()).toUTCString(),
    digest: options.digest ?? `SHA-256=${base64(digest)}`,
    'content-type': 'application/activity+json',
  };
  const covered = options.covered ?? ['(request-target)', 'host', 'date', 'digest'];
  const lines = covered.map((name) =>
    name === '(request-target)'
      ? `(request-target): post ${target.pathname}`
      : `${name}: ${headers[name]}`,
  );
  const signature = await crypto.subtle.sign(
    ALGORITHM,
    options.privateKey ?? actor.keys.privateKey,
    new TextEncoder().encode(lines.join('\n')),
  );
  headers.signature = `keyId="${options.keyId ?? actor.keyId}",algorithm="rsa-sha256",headers="${covered.join(' ')}",signature="${base64(new Uint8Array(signature))}"`;
  return new Request(url, { method: 'POST', headers, body: bytes });
}

/**
 * Whether a request the worker sent carries a valid draft-cavage signature by `publicKey`
 * over at least (request-target) host date digest, with a Digest matching its body.
 */
export async function hasValidSignature(
  request: { method: string; url: URL; headers: Headers; body: Uint8Array },
  publicKey: CryptoKey,
): Promise<boolean> {
  const header = request.headers.get('signature') ?? '';
  const params = new Map<string, string>();
  for (const [, name = '', value = ''] of header.matchAll(/(\w+)="([^"]*)"/g)) {
    params.set(name, value);
  }
  const covered: string[] = (params.get('headers') ?? '').split(' ');
  if (!['(request-target)', 'host', 'date', 'digest'].every((h) => covered.includes(h))) {
    return false;
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', request.body));
  if (request.headers.get('digest') !== `SHA-256=${base64(digest)}`) return false;
  const lines = covered.map((name) =>
    name === '(request-target)'
      ? `(request-target): ${request.method.toLowerCase()} ${request.url.pathname}`
      : `${name}: ${request.headers.get(name)}`,
  );
  const signature = Uint8Array.from(atob(params.get('signature') ?? ''), (c) => c.charCodeAt(0));
  return crypto.subtle.verify(
    ALGORITHM,
    publicKey,
    signature,
    new TextEncoder().encode(lines.join('\n')),
  );
}

/** Our worker's key: a PKCS#8 PEM for ACTIVITYPUB_PRIVATE_KEY, and its public half. */
export async function makeWorkerKey(): Promise<{ secret: string; publicKey: CryptoKey }> {
  const keys = (await crypto.subtle.generateKey(
    { ...ALGORITHM, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['sign', 'verify'],
  )) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(
    (await crypto.subtle.exportKey('pkcs8', keys.privateKey)) as ArrayBuffer,
  );
  return { secret: pem('PRIVATE KEY', pkcs8), publicKey: keys.publicKey };
}

export async function importPem(text: string): Promise<CryptoKey> {
  const der = Uint8Array.from(atob(text.replace(/-----[A-Z ]+-----|\s+/g, '')), (c) =>
    c.charCodeAt(0),
  );
  return crypto.subtle.importKey('spki', der, ALGORITHM, true, ['verify']);
}

function pem(label: string, der: Uint8Array): string {
  const lines = base64(der).match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
