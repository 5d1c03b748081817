-- The WebSub hub (docs/websub.md): verified subscriptions, verifications in flight, and
-- deliveries that exhausted their retries. Times are epoch milliseconds.

-- One row per verified subscription that has not been unsubscribed (W3C WebSub §5.3: a
-- (topic, callback) pair is one subscription, replaced only once a new request is verified).
-- Contract with the stats (issue #13): the verified subscriptions of topic T at time N are
--   SELECT COUNT(*) FROM subscriptions WHERE topic = ?1 AND expires_at > ?2
-- `topic` is the absolute URL of the document (siteUrl + path).
CREATE TABLE subscriptions (
  topic TEXT NOT NULL,
  callback TEXT NOT NULL,
  -- Lower-case host name of the callback, for the per-host cap.
  callback_host TEXT NOT NULL,
  -- hub.secret (§5.1, under 200 bytes) or NULL: deliveries are signed only with a secret (§7.1).
  secret TEXT,
  -- HMAC hash of X-Hub-Signature: sha256 unless the subscriber opted in to another (§7.1.1).
  signature TEXT NOT NULL DEFAULT 'sha256'
    CHECK (signature IN ('sha1', 'sha256', 'sha384', 'sha512')),
  lease_seconds INTEGER NOT NULL,
  verified_at INTEGER NOT NULL,
  -- verified_at is when the verification request was sent; the lease runs from then (§5.3).
  expires_at INTEGER NOT NULL,
  -- The last failed delivery, kept for the dead-letter record and for operators.
  failures INTEGER NOT NULL DEFAULT 0,
  last_failure TEXT,
  last_failure_at INTEGER,
  PRIMARY KEY (topic, callback)
);
CREATE INDEX subscriptions_by_topic ON subscriptions (topic, expires_at);
CREATE INDEX subscriptions_by_host ON subscriptions (callback_host);

-- A subscribe or unsubscribe request accepted with 202 whose verification of intent (§5.3)
-- has not finished. Rows older than a minute are stale (their worker died) and are ignored.
CREATE TABLE pending_verifications (
  id TEXT PRIMARY KEY,
  mode TEXT NOT NULL CHECK (mode IN ('subscribe', 'unsubscribe')),
  topic TEXT NOT NULL,
  callback TEXT NOT NULL,
  callback_host TEXT NOT NULL,
  requested_at INTEGER NOT NULL
);
CREATE INDEX pending_by_host ON pending_verifications (callback_host, requested_at);
CREATE INDEX pending_by_time ON pending_verifications (requested_at);

-- A delivery (or a publish ping to an external hub) that failed every retry and reached the
-- dead-letter queue. Kept 30 days.
CREATE TABLE dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  topic TEXT NOT NULL,
  -- The subscriber's callback, or the external hub's URL for a ping.
  target TEXT NOT NULL,
  build_id TEXT NOT NULL,
  -- Deliveries to this subscription that had failed in a row, and the last failure (NULL for
  -- a ping, or when the subscription is gone).
  failures INTEGER,
  last_failure TEXT,
  dead_at INTEGER NOT NULL
);
CREATE INDEX dead_letters_by_time ON dead_letters (dead_at);
