import { checkCallback } from '../hub/check-callback.ts';
import { fetchWithTimeout } from '../hub/fetch-with-timeout.ts';
import { readTextPrefix } from '../hub/read-text-prefix.ts';
import { isObject, stringOf } from './activity-fields.ts';
import { base64Bytes, SIGNATURE_ALGORITHM } from './actor-key.ts';

/** A remote key, as its document says: who owns it, and where that actor takes deliveries. */
export type RemoteKey = {
  keyId: string;
  owner: string;
  key: CryptoKey;
  /** The owner's inbox and shared inbox, when the key's document was the owner's actor. */
  inbox: string | undefined;
  sharedInbox: string | undefined;
};

export type RemoteFetchOptions = {
  allowLoopback: boolean;
  /** Signs the GET (servers in "authorized fetch" mode answer only signed ones). */
  sign?: (url: URL) => Promise<Record<string, string>>;
};

const KEY_FETCH_TIMEOUT_MS = 10_000;
const MAX_ACTOR_BYTES = 256 * 1024;
const KEEP_KEYS_MS = 3600_000;
const MAX_KEPT_KEYS = 1000;
const ACCEPT =
  'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"';

const kept = new Map<string, { key: RemoteKey; at: number }>();

/**
 * The public key a signature's keyId names, from this isolate's memory (an hour) or fetched:
 * the keyId without its fragment must pass the hub's own callback guard (a public http(s)
 * URL; loopback only with HUB_ALLOW_LOOPBACK), is fetched without following redirects, and
 * must answer JSON holding a `publicKey` whose id is the keyId (an actor document, as
 * Mastodon serves) or be that key itself. `fresh` skips the memory (a key may have been
 * rotated). Errors are one sentence.
 */
export async function fetchRemoteKey(
  keyId: string,
  options: RemoteFetchOptions,
  fresh = false,
  now = Date.now(),
): Promise<RemoteKey | { error: string }> {
  const hit = kept.get(keyId);
  if (!fresh && hit !== undefined && now - hit.at < KEEP_KEYS_MS) return hit.key;
  const checked = checkCallback(keyId, options.allowLoopback, 'keyId');
  if (!checked.ok) return { error: checked.reason };
  const document = await fetchJson(checked.url, options);
  if ('error' in document) return document;
  const found = findPublicKey(document.json, keyId);
  if (found === undefined) return { error: `${keyId} names no publicKey with that id` };
  let key: CryptoKey;
  try {
    const der = base64Bytes(found.pem.replace(/-----[A-Z ]+-----/g, ''));
    key = await crypto.subtle.importKey('spki', der, SIGNATURE_ALGORITHM, false, ['verify']);
  } catch {
    return { error: `the publicKeyPem of ${keyId} is not an RSA public key` };
  }
  const actor = document.json;
  const isOwner = stringOf(actor.id) === found.owner;
  const endpoints = isObject(actor.endpoints) ? actor.endpoints : {};
  const remote: RemoteKey = {
    keyId,
    owner: found.owner,
    key,
    inbox: isOwner ? stringOf(actor.inbox) : undefined,
    sharedInbox: isOwner ? stringOf(endpoints.sharedInbox) : undefined,
  };
  kept.delete(keyId);
  kept.set(keyId, { key: remote, at: now });
  for (const oldest of kept.keys()) {
    if (kept.size <= MAX_KEPT_KEYS) break;
    kept.delete(oldest);
  }
  return remote;
}

/** Whether this isolate holds the key of keyId (fetched within the hour). */
export function isKeyRemembered(keyId: string, now = Date.now()): boolean {
  const hit = kept.get(keyId);
  return hit !== undefined && now - hit.at < KEEP_KEYS_MS;
}

/** A remote actor document (its inbox, when the key's document was not the actor). */
export async function fetchRemoteActor(
  id: string,
  options: RemoteFetchOptions,
): Promise<{ inbox: string | undefined; sharedInbox: string | undefined } | { error: string }> {
  const checked = checkCallback(id, options.allowLoopback, 'actor');
  if (!checked.ok) return { error: checked.reason };
  const document = await fetchJson(checked.url, options);
  if ('error' in document) return document;
  const endpoints = isObject(document.json.endpoints) ? document.json.endpoints : {};
  return { inbox: stringOf(document.json.inbox), sharedInbox: stringOf(endpoints.sharedInbox) };
}

async function fetchJson(
  url: URL,
  options: RemoteFetchOptions,
): Promise<{ json: Record<string, unknown> } | { error: string }> {
  url.hash = '';
  const signed = options.sign === undefined ? {} : await options.sign(url);
  let response: Response;
  try {
    response = await fetchWithTimeout(
      url.href,
      { headers: { Accept: ACCEPT, ...signed } },
      KEY_FETCH_TIMEOUT_MS,
    );
  } catch (error) {
    return { error: `fetching ${url.href} failed: ${String(error)}` };
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    return { error: `${url.href} answered ${response.status}` };
  }
  const text = await readTextPrefix(response.body, MAX_ACTOR_BYTES);
  if (!text.complete) return { error: `${url.href} is larger than ${MAX_ACTOR_BYTES} bytes` };
  try {
    const json: unknown = JSON.parse(text.text);
    if (isObject(json)) return { json };
  } catch {
    // answered below
  }
  return { error: `${url.href} is not a JSON object` };
}

function findPublicKey(
  document: Record<string, unknown>,
  keyId: string,
): { pem: string; owner: string } | undefined {
  const candidates = [document, ...listOf(document.publicKey)];
  for (const candidate of candidates) {
    if (!isObject(candidate) || stringOf(candidate.id) !== keyId) continue;
    const pem = stringOf(candidate.publicKeyPem);
    const owner = stringOf(candidate.owner) ?? stringOf(document.id);
    if (pem !== undefined && owner !== undefined) return { pem, owner };
  }
  return undefined;
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}
