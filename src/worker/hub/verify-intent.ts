import { describeFailure, fetchWithTimeout, hubUserAgent } from './fetch-with-timeout.ts';
import { MAX_CHALLENGE_ANSWER_BYTES, VERIFY_TIMEOUT_MS } from './hub-limits.ts';
import type { HubRequest } from './parse-hub-request.ts';
import { removePending } from './pending-verifications.ts';
import { readTextPrefix } from './read-text-prefix.ts';
import { activateSubscription, removeSubscription } from './subscriptions.ts';

/** A request accepted with 202, with its topic and callback already checked. */
export type AcceptedRequest = {
  request: HubRequest;
  /** The canonical topic URL (resolveTopic). */
  topic: string;
  /** The callback as parsed (fragment dropped), and its host for the caps. */
  callback: URL;
  callbackHost: string;
  pendingId: string;
  hubUrl: string;
};

export type VerificationOutcome = { verified: true } | { verified: false; reason: string };

/**
 * Verification of intent (W3C WebSub §5.3): a GET to the callback, its own query string
 * kept and ours appended with `&` (§5.1.1), carrying hub.mode, hub.topic, a random single-use
 * hub.challenge (§8.2) and, when subscribing, hub.lease_seconds. Only a 2xx whose body is the
 * challenge verifies (§5.3.1); then, and only then, the subscription state changes. A
 * failure changes nothing (§5.1). The lease runs from the moment the GET is sent (§5.3).
 */
export async function verifyIntent(
  db: D1Database,
  accepted: AcceptedRequest,
): Promise<VerificationOutcome> {
  const { request, topic, callback } = accepted;
  const challenge = randomChallenge();
  const query: Record<string, string> = {
    'hub.mode': request.mode,
    'hub.topic': topic,
    'hub.challenge': challenge,
  };
  if (request.mode === 'subscribe') query['hub.lease_seconds'] = String(request.leaseSeconds);
  const sentAt = Date.now();
  try {
    const outcome = await askCallback(withQuery(callback, query), challenge, accepted.hubUrl);
    if (!outcome.verified) return outcome;
    if (request.mode === 'unsubscribe') {
      await removeSubscription(db, topic, callback.href);
    } else {
      await activateSubscription(db, {
        topic,
        callback: callback.href,
        callback_host: accepted.callbackHost,
        secret: request.secret ?? null,
        signature: request.signature,
        lease_seconds: request.leaseSeconds,
        verified_at: sentAt,
        expires_at: sentAt + request.leaseSeconds * 1000,
      });
    }
    return outcome;
  } finally {
    await removePending(db, accepted.pendingId);
  }
}

async function askCallback(
  url: string,
  challenge: string,
  hubUrl: string,
): Promise<VerificationOutcome> {
  let response: Response;
  try {
    response = await fetchWithTimeout(
      url,
      { method: 'GET', headers: { 'User-Agent': hubUserAgent(hubUrl) } },
      VERIFY_TIMEOUT_MS,
    );
  } catch (error) {
    return { verified: false, reason: describeFailure(error) };
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    return { verified: false, reason: `the callback answered ${response.status}` };
  }
  const answer = await readTextPrefix(response.body, MAX_CHALLENGE_ANSWER_BYTES);
  // §5.3.1 wants the body to equal the challenge; surrounding whitespace (a trailing newline
  // from `echo`) is forgiven, since a challenge never contains any.
  if (!answer.complete || answer.text.trim() !== challenge) {
    return { verified: false, reason: 'the callback did not echo hub.challenge' };
  }
  return { verified: true };
}

/** The callback with parameters appended, its own query string left exactly as it was. */
export function withQuery(callback: URL, params: Record<string, string>): string {
  const query = new URLSearchParams(params).toString();
  const href = callback.href;
  if (callback.search === '') return `${href}${href.endsWith('?') ? '' : '?'}${query}`;
  return `${href}&${query}`;
}

/** 256 random bits, base64url: unguessable and used once (§8.2). */
function randomChallenge(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
