/**
 * What the hub remembers about a subscriber's failing callback: how many deliveries in a row
 * failed, the last failure and when. Read back for the dead-letter record; a success clears it.
 */
export async function recordDeliveryFailure(
  db: D1Database,
  topic: string,
  callback: string,
  failure: string,
  now: number,
): Promise<void> {
  await db
    .prepare(
      `UPDATE subscriptions SET failures = failures + 1, last_failure = ?3, last_failure_at = ?4
       WHERE topic = ?1 AND callback = ?2`,
    )
    .bind(topic, callback, failure.slice(0, 300), now)
    .run();
}

/** After a delivery succeeded; writes nothing when there was no failure to clear. */
export async function clearDeliveryFailures(
  db: D1Database,
  topic: string,
  callback: string,
): Promise<void> {
  await db
    .prepare(
      `UPDATE subscriptions SET failures = 0, last_failure = NULL, last_failure_at = NULL
       WHERE topic = ?1 AND callback = ?2 AND failures > 0`,
    )
    .bind(topic, callback)
    .run();
}
