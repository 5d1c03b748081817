-- ActivityPub (docs/activitypub.md): who follows each feed's actor. Times are epoch ms.

-- One row per (our actor, remote actor) follow, stored when a signed Follow arrives and
-- removed by a signed Undo of it, or when the follower's inbox answers 410 Gone.
-- `actor` is our actor's path (`/actor`, `/topics/ai/actor`, `/providers/{domain}/actor`);
-- `inbox` is where deliveries go: the follower's shared inbox when it has one, else its own.
CREATE TABLE followers (
  actor TEXT NOT NULL,
  follower TEXT NOT NULL,
  inbox TEXT NOT NULL,
  follow_id TEXT NOT NULL,
  followed_at INTEGER NOT NULL,
  PRIMARY KEY (actor, follower)
);
CREATE INDEX followers_by_inbox ON followers (inbox);
