import {
  KEEP_DEAD_LETTERS_MS,
  KEEP_EXPIRED_SUBSCRIPTIONS_MS,
  PENDING_STALE_MS,
} from './hub-limits.ts';

/**
 * Deletes what no longer counts: subscriptions expired a week ago (§5.3.1: leases are
 * enforced; an expired row already gets no deliveries and is not counted), pending rows
 * whose verification was lost, dead letters older than 30 days. Run once per deploy.
 */
export async function pruneHubTables(db: D1Database, now: number): Promise<void> {
  await db.batch([
    db
      .prepare('DELETE FROM subscriptions WHERE expires_at < ?1')
      .bind(now - KEEP_EXPIRED_SUBSCRIPTIONS_MS),
    db
      .prepare('DELETE FROM pending_verifications WHERE requested_at < ?1')
      .bind(now - PENDING_STALE_MS),
    db.prepare('DELETE FROM dead_letters WHERE dead_at < ?1').bind(now - KEEP_DEAD_LETTERS_MS),
  ]);
}
