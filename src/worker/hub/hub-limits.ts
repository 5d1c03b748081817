/**
 * The hub's policies in one place (docs/websub.md, "Limits"). Times in seconds unless the
 * name says otherwise.
 */

/** §8.2: "10 days is a good default"; a requested lease is clamped to 1 hour … 30 days. */
export const DEFAULT_LEASE_SECONDS = 10 * 24 * 3600;
export const MIN_LEASE_SECONDS = 3600;
export const MAX_LEASE_SECONDS = 30 * 24 * 3600;

/** §5.1: hub.secret "MUST be less than 200 bytes in length". */
export const MAX_SECRET_BYTES = 199;

/** Longest accepted callback URL; longer ones are refused before anything is stored. */
export const MAX_CALLBACK_LENGTH = 2048;

/** Largest accepted POST /hub body (form-encoded); the parameters need a few hundred bytes. */
export const MAX_HUB_BODY_BYTES = 16 * 1024;

/** Verification of intent (§5.3) and content distribution (§7) give up after this long. */
export const VERIFY_TIMEOUT_MS = 10_000;
export const DELIVERY_TIMEOUT_MS = 15_000;

/** Bytes of a verification answer read at most: the challenge is 43 characters. */
export const MAX_CHALLENGE_ANSWER_BYTES = 1024;

/**
 * Caps that keep one party from filling the table or turning the hub into a request
 * reflector. A re-subscription (same topic and callback) replaces a row, so it never counts.
 */
export const MAX_SUBSCRIPTIONS_PER_TOPIC = 1000;
export const MAX_SUBSCRIPTIONS_PER_CALLBACK_HOST = 1000;
/** Verifications in flight towards one callback host, and in all. */
export const MAX_PENDING_PER_CALLBACK_HOST = 10;
export const MAX_PENDING_TOTAL = 500;
/** A pending verification older than this was lost (its isolate died) and no longer counts. */
export const PENDING_STALE_MS = 60_000;

/**
 * Delay before retry n (1 = after the first failure): 30 s × 4ⁿ⁻¹, at most 12 hours (the
 * longest delay Queues accept). With max_retries = 7 in wrangler.toml a failing callback is
 * tried 8 times over about 23 hours: 30 s, 2 min, 8 min, 32 min, 2.1 h, 8.5 h, 12 h.
 */
export function retryDelaySeconds(failedAttempts: number): number {
  const exponent = Math.max(0, failedAttempts - 1);
  return Math.min(30 * 4 ** exponent, 12 * 3600);
}

/** Expired subscriptions, dead letters and stale pending rows are deleted after these. */
export const KEEP_EXPIRED_SUBSCRIPTIONS_MS = 7 * 24 * 3600 * 1000;
export const KEEP_DEAD_LETTERS_MS = 30 * 24 * 3600 * 1000;
