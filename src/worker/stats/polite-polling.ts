import { DurableObject } from 'cloudflare:workers';
import { toHex } from './daily-salts.ts';

/** More unconditional fetches of one document than this within the window get a 429. */
export const POLLING_LIMIT = 10;
/** The window, sliding: ten minutes. */
export const POLLING_WINDOW_MS = 10 * 60_000;
/** Readers are spread over this many objects (by a byte of a hash: see limit-polling.ts). */
export const POLLING_BUCKETS = 256;
/** An object's salt is replaced after a day; fetches hashed with the old one age out. */
const SALT_MS = 86_400_000;

export type PollingVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

const SCHEMA = `CREATE TABLE IF NOT EXISTS fetches (reader TEXT NOT NULL, path TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS fetches_by_reader ON fetches (reader, path, at);
CREATE TABLE IF NOT EXISTS salt (value TEXT NOT NULL, created INTEGER NOT NULL)`;

/**
 * Recent unconditional fetches of the readers of one bucket (a SQLite-backed Durable
 * Object; a reader always lands in the same one). A fetch is allowed while fewer than
 * POLLING_LIMIT allowed fetches by the same reader of the same document lie in the last
 * POLLING_WINDOW_MS; refused fetches are not recorded, so a reader that waits as
 * Retry-After says is served. A reader is kept as a hash of its address and User-Agent
 * with the object's own random salt, never as an address; rows leave with the window, and
 * an object with none left deletes its storage, salt included.
 */
export class PolitePolling extends DurableObject<Env> {
  /** Whether the tables exist: deleteAll (see alarm) drops them with everything else. */
  #ready = false;
  #salt: { value: string; created: number } | undefined;

  /** Records an unconditional fetch of `path` at `now` (epoch ms) if it is allowed. */
  async fetched(
    address: string,
    userAgent: string,
    path: string,
    now: number,
  ): Promise<PollingVerdict> {
    const salt = this.#saltAt(now);
    const digest = await crypto.subtle.digest(
      'SHA-256',
      new TextEncoder().encode(`${salt}\n${address}\n${userAgent}`),
    );
    const reader = toHex(new Uint8Array(digest, 0, 16));
    // From here on synchronous: no other call can come between the count and the insert.
    const sql = this.ctx.storage.sql;
    const recent = sql
      .exec<{ n: number; oldest: number | null }>(
        'SELECT COUNT(*) AS n, MIN(at) AS oldest FROM fetches WHERE reader = ?1 AND path = ?2 AND at > ?3',
        reader,
        path,
        now - POLLING_WINDOW_MS,
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
    sql.exec('INSERT INTO fetches (reader, path, at) VALUES (?1, ?2, ?3)', reader, path, now);
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(now + POLLING_WINDOW_MS);
    }
    return { allowed: true };
  }

  /** Forgets fetches older than the window; with none left, everything. */
  override async alarm(): Promise<void> {
    const sql = this.ctx.storage.sql;
    if (!this.#ready) this.#createTables();
    sql.exec('DELETE FROM fetches WHERE at <= ?1', Date.now() - POLLING_WINDOW_MS);
    const newest = sql.exec<{ at: number | null }>('SELECT MAX(at) AS at FROM fetches').one().at;
    if (newest === null) {
      await this.ctx.storage.deleteAll();
      this.#ready = false;
      this.#salt = undefined;
    } else {
      await this.ctx.storage.setAlarm(newest + POLLING_WINDOW_MS);
    }
  }

  /** The salt in use at `now`, made (and kept in storage) when there is none or it is old. */
  #saltAt(now: number): string {
    if (!this.#ready) this.#createTables();
    const sql = this.ctx.storage.sql;
    this.#salt ??= sql
      .exec<{ value: string; created: number }>('SELECT value, created FROM salt')
      .toArray()[0];
    if (this.#salt === undefined || now - this.#salt.created > SALT_MS) {
      this.#salt = { value: toHex(crypto.getRandomValues(new Uint8Array(16))), created: now };
      sql.exec('DELETE FROM salt');
      sql.exec('INSERT INTO salt (value, created) VALUES (?1, ?2)', this.#salt.value, now);
    }
    return this.#salt.value;
  }

  #createTables(): void {
    this.ctx.storage.sql.exec(SCHEMA);
    this.#ready = true;
  }
}
