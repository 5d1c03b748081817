/**
 * One random salt per UTC day for the reader hashes, kept in D1 (`stats_salts`) so that
 * every isolate hashes a reader the same way that day, and deleted once the day is two
 * days old (write-stats.ts): after that no stored hash can be matched to an address, even
 * by someone holding the database. A keyed hash of the date (HMAC with a secret) would
 * need no table, but whoever holds the secret could rebuild any past day's salt, and the
 * IPv4 space is small enough to try every address against a hash.
 */
export class DailySalts {
  #held = new Map<string, string>();

  /** The salts of `days`, creating the ones that do not exist yet: at most one D1 batch. */
  async saltsFor(db: D1Database, days: readonly string[]): Promise<Map<string, string>> {
    const missing = days.filter((day) => !this.#held.has(day));
    if (missing.length > 0) {
      // INSERT OR IGNORE: when two isolates create a day's salt at once, the first one
      // written wins and both read it back.
      const statements = missing.map((day) =>
        db
          .prepare('INSERT OR IGNORE INTO stats_salts (day, salt) VALUES (?1, ?2)')
          .bind(day, randomSalt()),
      );
      const placeholders = missing.map((_, index) => `?${index + 1}`).join(', ');
      statements.push(
        db
          .prepare(`SELECT day, salt FROM stats_salts WHERE day IN (${placeholders})`)
          .bind(...missing),
      );
      const results = await db.batch<{ day: string; salt: string }>(statements);
      for (const row of results.at(-1)?.results ?? []) this.#held.set(row.day, row.salt);
    }
    const salts = new Map<string, string>();
    for (const day of days) {
      const salt = this.#held.get(day);
      if (salt === undefined) throw new Error(`stats_salts has no salt for ${day}`);
      salts.set(day, salt);
    }
    // Days end: only the newest few are kept in memory (Map order is insertion order).
    for (const day of this.#held.keys()) if (this.#held.size > 4) this.#held.delete(day);
    return salts;
  }
}

function randomSalt(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(16)));
}

/** A reader's identity: the first 128 bits of SHA-256(salt, address, User-Agent), in hex. */
export async function hashReader(
  salt: string,
  address: string,
  userAgent: string,
): Promise<string> {
  const text = new TextEncoder().encode(`${salt}\n${address}\n${userAgent}`);
  const digest = await crypto.subtle.digest('SHA-256', text);
  return toHex(new Uint8Array(digest, 0, 16));
}

export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
