import { env } from 'cloudflare:test';

export type SubscriptionRow = {
  topic: string;
  callback: string;
  callback_host: string;
  secret: string | null;
  signature: string;
  lease_seconds: number;
  verified_at: number;
  expires_at: number;
  failures: number;
  last_failure: string | null;
};

/** Every row of the subscriptions table, by topic then callback. */
export async function readSubscriptions(): Promise<SubscriptionRow[]> {
  const { results } = await env.DB.prepare(
    'SELECT * FROM subscriptions ORDER BY topic, callback',
  ).all<SubscriptionRow>();
  return results;
}

/** Empties the hub's tables between tests (D1 storage is per file, not per test). */
export async function clearHubTables(): Promise<void> {
  await env.DB.batch([
    env.DB.prepare('DELETE FROM subscriptions'),
    env.DB.prepare('DELETE FROM pending_verifications'),
    env.DB.prepare('DELETE FROM dead_letters'),
  ]);
}

/** A verified subscription written directly, as if verified at `verifiedAt`. */
export async function insertSubscription(row: {
  topic: string;
  callback: string;
  secret?: string | null;
  signature?: string;
  leaseSeconds?: number;
  verifiedAt?: number;
  expiresAt?: number;
}): Promise<void> {
  const verifiedAt = row.verifiedAt ?? Date.now();
  const leaseSeconds = row.leaseSeconds ?? 864000;
  await env.DB.prepare(
    `INSERT INTO subscriptions
       (topic, callback, callback_host, secret, signature, lease_seconds, verified_at, expires_at)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
  )
    .bind(
      row.topic,
      row.callback,
      new URL(row.callback).hostname,
      row.secret ?? null,
      row.signature ?? 'sha256',
      leaseSeconds,
      verifiedAt,
      row.expiresAt ?? verifiedAt + leaseSeconds * 1000,
    )
    .run();
}
