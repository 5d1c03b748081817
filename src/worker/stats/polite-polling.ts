import { DurableObject } from 'cloudflare:workers';

/** More unconditional fetches of one document than this within the window get a 429. */
export const POLLING_LIMIT = 10;
/** The window, sliding: ten minutes. */
export const POLLING_WINDOW_MS = 10 * 60_000;

export type PollingVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * One reader's recent unconditional fetches (a SQLite-backed Durable Object per reader,
 * named by a hash of its address and User-Agent: see limit-polling.ts). A fetch is allowed
 * while fewer than POLLING_LIMIT allowed fetches of the same document lie in the last
 * POLLING_WINDOW_MS; refused fetches are not recorded, so a reader that waits as
 * Retry-After says is served. Nothing is kept longer than the window: an alarm deletes the
 * object's storage once its last fetch has aged out.
 */
export class PolitePolling extends DurableObject<Env> {
  /** Whether the table exists: deleteAll (see alarm) drops it with everything else. */
  #ready = false;

  /** Records an unconditional fetch of `path` at `now` (epoch ms) if it is allowed. */
  async fetched(path: string, now: number): Promise<PollingVerdict> {
    const sql = this.ctx.storage.sql;
    if (!this.#ready) {
      sql.exec(
        'CREATE TABLE IF NOT EXISTS fetches (path TEXT NOT NULL, at INTEGER NOT NULL); CREATE INDEX IF NOT EXISTS fetches_by_path ON fetches (path, at)',
      );
      this.#ready = true;
    }
    const since = now - POLLING_WINDOW_MS;
    const recent = sql
      .exec<{ n: number; oldest: number | null }>(
        'SELECT COUNT(*) AS n, MIN(at) AS oldest FROM fetches WHERE path = ?1 AND at > ?2',
        path,
        since,
      )
      .one();
    if (recent.n >= POLLING_LIMIT && recent.oldest !== null) {
      // RFC 9110 §10.2.3, RFC 6585 §4: when the oldest counted fetch leaves the window.
      const retryAfterSeconds = Math.max(
        1,
        Math.ceil((recent.oldest + POLLING_WINDOW_MS - now) / 1000),
      );
      return { allowed: false, retryAfterSeconds };
    }
    sql.exec('INSERT INTO fetches (path, at) VALUES (?1, ?2)', path, now);
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(now + POLLING_WINDOW_MS);
    }
    return { allowed: true };
  }

  /** Forgets fetches older than the window; with none left, the whole object. */
  override async alarm(): Promise<void> {
    const sql = this.ctx.storage.sql;
    const now = Date.now();
    const exists = sql.exec("SELECT 1 FROM sqlite_master WHERE name = 'fetches'").toArray();
    if (exists.length > 0) sql.exec('DELETE FROM fetches WHERE at <= ?1', now - POLLING_WINDOW_MS);
    const newest =
      exists.length === 0
        ? null
        : sql.exec<{ at: number | null }>('SELECT MAX(at) AS at FROM fetches').one().at;
    if (newest === null) {
      await this.ctx.storage.deleteAll();
      this.#ready = false;
    } else {
      await this.ctx.storage.setAlarm(newest + POLLING_WINDOW_MS);
    }
  }
}
