-- Reader statistics (docs/stats.md). Written by the worker in batches, off the request
-- path; rows older than 90 days are deleted by the worker itself. No client address is
-- stored: readers that are not aggregators are kept as salted hashes whose daily salt is
-- deleted two days later.

-- What each subscription document served per UTC day.
CREATE TABLE stats_days (
  path TEXT NOT NULL,
  day TEXT NOT NULL, -- YYYY-MM-DD, UTC
  requests INTEGER NOT NULL DEFAULT 0, -- every GET and HEAD answered 200, 304 or 429
  not_modified INTEGER NOT NULL DEFAULT 0,
  too_many INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0, -- body bytes sent
  PRIMARY KEY (path, day)
) WITHOUT ROWID;
CREATE INDEX stats_days_by_day ON stats_days (day);

-- Who fetched each subscription document per UTC day: one row per reader identity.
CREATE TABLE stats_readers (
  path TEXT NOT NULL,
  day TEXT NOT NULL,
  -- An aggregator's User-Agent without the digits of its subscriber count; for anything
  -- else a hash of the client address and User-Agent with that day's salt.
  reader TEXT NOT NULL,
  feed TEXT NOT NULL, -- the path's folder: '/', '/topics/ai/'; a feed's three formats share it
  kind TEXT NOT NULL CHECK (kind IN ('aggregator', 'reader', 'unknown')),
  client TEXT, -- the reader's name in the User-Agent table, when it is there
  subscribers INTEGER, -- aggregators: the largest count they reported that day
  first_seen INTEGER NOT NULL, -- epoch ms
  last_seen INTEGER NOT NULL,
  PRIMARY KEY (path, day, reader)
) WITHOUT ROWID;
CREATE INDEX stats_readers_by_day ON stats_readers (day);
CREATE INDEX stats_readers_by_last_seen ON stats_readers (last_seen);

-- One random salt per UTC day, for the reader hashes; deleted once the day is two days old,
-- after which no hash can be matched to an address again.
CREATE TABLE stats_salts (
  day TEXT PRIMARY KEY,
  salt TEXT NOT NULL
) WITHOUT ROWID;
