/**
 * The `pending_verifications` table: requests answered 202 whose verification of intent
 * (§5.3) is still running. It exists for the caps on verifications in flight (check-hub-caps.ts);
 * rows hold no secret (that stays in the verifying isolate's memory), and rows older than
 * PENDING_STALE_MS belong to a verification whose isolate died.
 */
export type PendingVerification = {
  id: string;
  mode: 'subscribe' | 'unsubscribe';
  topic: string;
  callback: string;
  callbackHost: string;
  requestedAt: number;
};

export async function addPending(db: D1Database, pending: PendingVerification): Promise<void> {
  await db
    .prepare(
      `INSERT INTO pending_verifications (id, mode, topic, callback, callback_host, requested_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6)`,
    )
    .bind(
      pending.id,
      pending.mode,
      pending.topic,
      pending.callback,
      pending.callbackHost,
      pending.requestedAt,
    )
    .run();
}

export async function removePending(db: D1Database, id: string): Promise<void> {
  await db.prepare('DELETE FROM pending_verifications WHERE id = ?1').bind(id).run();
}
