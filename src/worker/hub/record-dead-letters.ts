import type { HubMessage } from './hub-message.ts';
import { findSubscription } from './subscriptions.ts';

/**
 * A message that failed every retry (wrangler.toml: max_retries, then the dead-letter
 * queue), recorded in `dead_letters` with the subscriber's count of failures in a row and
 * its last failure, for an operator to read (docs/websub.md). The subscription itself stays
 * until its lease ends (§7: the hub "MUST keep the subscription active until the end of the
 * lease duration"), so the next change is offered to the subscriber again.
 */
export async function recordDeadLetter(
  db: D1Database,
  message: HubMessage,
  now: number,
): Promise<void> {
  const subscription =
    message.kind === 'deliver'
      ? await findSubscription(db, message.topic, message.callback)
      : undefined;
  await db
    .prepare(
      `INSERT INTO dead_letters (kind, topic, target, build_id, failures, last_failure, dead_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    )
    .bind(
      message.kind,
      message.kind === 'activity' ? message.actor : message.topic,
      message.kind === 'deliver'
        ? message.callback
        : message.kind === 'ping'
          ? message.hubUrl
          : message.inbox,
      message.buildId,
      subscription?.failures ?? null,
      subscription?.last_failure ?? null,
      now,
    )
    .run();
}
