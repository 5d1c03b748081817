import * as z from 'zod/mini';
import {
  MAX_PENDING_PER_CALLBACK_HOST,
  MAX_PENDING_TOTAL,
  MAX_SUBSCRIPTIONS_PER_CALLBACK_HOST,
  MAX_SUBSCRIPTIONS_PER_TOPIC,
  PENDING_STALE_MS,
} from './hub-limits.ts';

export type CapRefusal = { status: 403 | 429; reason: string; headers: Record<string, string> };

export type CapQuestion = {
  mode: 'subscribe' | 'unsubscribe';
  topic: string;
  callback: string;
  host: string;
  now: number;
};

const TalliesSchema = z.object({
  pendingHost: z.number(),
  pendingTotal: z.number(),
  renewal: z.number(),
  topic: z.number(),
  host: z.number(),
});

/**
 * The caps a request must fit under before the hub sends anything anywhere: verifications
 * in flight (per callback host and in all: each one is a request the hub makes on a
 * stranger's word), then, for a new subscription, the unexpired subscriptions of its topic
 * and of its callback's host. A renewal (same topic and callback, unexpired) replaces its
 * own row, so it is never refused for size; an unsubscription only frees room. One D1 query.
 * Checked at request time: two requests racing for the last place may both get it.
 */
export async function checkHubCaps(
  db: D1Database,
  ask: CapQuestion,
): Promise<CapRefusal | undefined> {
  const row = await db
    .prepare(
      `SELECT
         (SELECT COUNT(*) FROM pending_verifications
           WHERE callback_host = ?1 AND requested_at > ?5) AS pendingHost,
         (SELECT COUNT(*) FROM pending_verifications WHERE requested_at > ?5) AS pendingTotal,
         (SELECT COUNT(*) FROM subscriptions
           WHERE topic = ?2 AND callback = ?3 AND expires_at > ?4) AS renewal,
         (SELECT COUNT(*) FROM subscriptions WHERE topic = ?2 AND expires_at > ?4) AS topic,
         (SELECT COUNT(*) FROM subscriptions
           WHERE callback_host = ?1 AND expires_at > ?4) AS host`,
    )
    .bind(ask.host, ask.topic, ask.callback, ask.now, ask.now - PENDING_STALE_MS)
    .first();
  const tally = TalliesSchema.parse(row);
  const later = { 'Retry-After': '60' };
  if (tally.pendingHost >= MAX_PENDING_PER_CALLBACK_HOST) {
    return {
      status: 429,
      reason: `${ask.host} already has ${tally.pendingHost} verifications in progress; try again in a minute.`,
      headers: later,
    };
  }
  if (tally.pendingTotal >= MAX_PENDING_TOTAL) {
    return {
      status: 429,
      reason: 'The hub has too many verifications in progress; try again in a minute.',
      headers: later,
    };
  }
  if (ask.mode === 'unsubscribe' || tally.renewal > 0) return undefined;
  if (tally.topic >= MAX_SUBSCRIPTIONS_PER_TOPIC) {
    return {
      status: 403,
      reason: `This topic has as many subscriptions as the hub takes (${MAX_SUBSCRIPTIONS_PER_TOPIC}).`,
      headers: {},
    };
  }
  if (tally.host >= MAX_SUBSCRIPTIONS_PER_CALLBACK_HOST) {
    return {
      status: 403,
      reason: `Callbacks on ${ask.host} hold as many subscriptions as the hub takes for one host (${MAX_SUBSCRIPTIONS_PER_CALLBACK_HOST}).`,
      headers: {},
    };
  }
  return undefined;
}
