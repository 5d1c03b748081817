/** How a client backs off: attempts in all, the first delay, the cap, the longest Retry-After honoured. */
export type RetryPolicy = {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
};

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 7,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
};

/**
 * The wait before retry number `retry` (1 for the first): the server's Retry-After when it
 * sent one (RFC 9110 §10.2.3: delay-seconds or an HTTP-date), capped so a bad header cannot
 * stall a deploy for hours; else exponential backoff, base·2^(retry−1), capped. No jitter:
 * one deploy is one client, and equal runs wait equally (tests check the waits).
 */
export function retryDelay(
  policy: RetryPolicy,
  retry: number,
  retryAfter: string | null,
  now = Date.now(),
): number {
  const asked = parseRetryAfter(retryAfter, now);
  if (asked !== undefined) return Math.min(asked, policy.maxRetryAfterMs);
  return Math.min(policy.baseDelayMs * 2 ** (retry - 1), policy.maxDelayMs);
}

/** Retry-After in milliseconds, or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d{1,9}$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
