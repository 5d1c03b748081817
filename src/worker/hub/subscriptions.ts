// zod/mini: rows are checked when read, and the worker pays for each byte of schema code.
import * as z from 'zod/mini';
import { SIGNATURE_ALGORITHMS } from './sign-body.ts';

/**
 * The `subscriptions` table (migrations/0001_websub.sql): one row per verified, not
 * unsubscribed (topic, callback) pair. Every query the hub runs on it is here.
 */
export const SubscriptionSchema = z.object({
  topic: z.string(),
  callback: z.string(),
  callback_host: z.string(),
  secret: z.nullable(z.string()),
  signature: z.enum(SIGNATURE_ALGORITHMS),
  lease_seconds: z.number(),
  verified_at: z.number(),
  expires_at: z.number(),
  failures: z.number(),
  last_failure: z.nullable(z.string()),
  last_failure_at: z.nullable(z.number()),
});
export type Subscription = z.infer<typeof SubscriptionSchema>;

/** A subscription as verification makes it: no failures yet. */
export type VerifiedSubscription = Omit<
  Subscription,
  'failures' | 'last_failure' | 'last_failure_at'
>;

/** The row of a (topic, callback) pair, expired or not. */
export async function findSubscription(
  db: D1Database,
  topic: string,
  callback: string,
): Promise<Subscription | undefined> {
  const row = await db
    .prepare('SELECT * FROM subscriptions WHERE topic = ?1 AND callback = ?2')
    .bind(topic, callback)
    .first();
  return row === null ? undefined : SubscriptionSchema.parse(row);
}

/**
 * A verified subscription: inserted, or replacing the pair's previous state (§5.1: "Each
 * subsequent request … MUST override the previous subscription state … once verified"),
 * secret and signature included; a renewed subscription starts with no failures.
 */
export async function activateSubscription(db: D1Database, s: VerifiedSubscription): Promise<void> {
  await db
    .prepare(
      `INSERT INTO subscriptions
         (topic, callback, callback_host, secret, signature, lease_seconds, verified_at, expires_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
       ON CONFLICT (topic, callback) DO UPDATE SET
         callback_host = excluded.callback_host, secret = excluded.secret,
         signature = excluded.signature, lease_seconds = excluded.lease_seconds,
         verified_at = excluded.verified_at, expires_at = excluded.expires_at,
         failures = 0, last_failure = NULL, last_failure_at = NULL`,
    )
    .bind(
      s.topic,
      s.callback,
      s.callback_host,
      s.secret,
      s.signature,
      s.lease_seconds,
      s.verified_at,
      s.expires_at,
    )
    .run();
}

/** Ends a subscription (a verified unsubscription, or a 410 Gone from its callback). */
export async function removeSubscription(
  db: D1Database,
  topic: string,
  callback: string,
): Promise<void> {
  await db
    .prepare('DELETE FROM subscriptions WHERE topic = ?1 AND callback = ?2')
    .bind(topic, callback)
    .run();
}

/** Every unexpired (topic, callback) pair of the given topics, in one query. */
export async function listSubscribers(
  db: D1Database,
  topics: readonly string[],
  now: number,
): Promise<{ topic: string; callback: string }[]> {
  if (topics.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT topic, callback FROM subscriptions
       WHERE topic IN (SELECT value FROM json_each(?1)) AND expires_at > ?2
       ORDER BY topic, callback`,
    )
    .bind(JSON.stringify(topics), now)
    .all();
  return results.map((row) => PairSchema.parse(row));
}

const PairSchema = z.object({ topic: z.string(), callback: z.string() });

/** Unexpired subscriptions per topic, for the given topics (absent: none). */
export async function countSubscriptionsByTopic(
  db: D1Database,
  topics: readonly string[],
  now: number,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (topics.length === 0) return counts;
  const { results } = await db
    .prepare(
      `SELECT topic, COUNT(*) AS n FROM subscriptions
       WHERE topic IN (SELECT value FROM json_each(?1)) AND expires_at > ?2
       GROUP BY topic`,
    )
    .bind(JSON.stringify(topics), now)
    .all();
  for (const row of results) {
    const { topic, n } = TopicCountSchema.parse(row);
    counts.set(topic, n);
  }
  return counts;
}

const TopicCountSchema = z.object({ topic: z.string(), n: z.number() });
