/** What became of one queue message; the consumer acks or retries by it. */
export type DeliveryResult =
  | { outcome: 'delivered' }
  /** Nothing to send any more: unsubscribed, lease expired, superseded, callback refused. */
  | { outcome: 'skipped'; why: string }
  /** The callback answered 410 Gone (§7): the subscription was deleted. */
  | { outcome: 'ended' }
  /** An error, a timeout or a status other than 2xx and 410: retried with backoff. */
  | { outcome: 'failed'; failure: string };
