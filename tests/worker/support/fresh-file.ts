import { applyD1Migrations, env, reset } from 'cloudflare:test';
import { vi } from 'vitest';

// setupFiles of the worker project, run before each test file. The project runs with
// `isolate: false` (vitest.config.ts): one workerd serves the files in turn instead of a
// workerd started per file (~2 s of CPU each). What a new workerd gave a file, this gives
// it back:
// - `reset()` deletes every Durable Object, and Miniflare keeps KV, D1, the Cache API, the
//   queues and our PolitePolling objects in Durable Objects;
// - `vi.resetModules()`: the worker's modules (src/worker) are evaluated again for this
//   file, so what an isolate holds in memory (the held pointer, the memory cache, the stats
//   batch) starts empty, as in a new isolate;
// - real timers, whatever the file before left;
// - the D1 migrations (migrations/*.sql) applied to the empty database.
//
// What a file starts with is checked, not assumed. On a loaded machine `reset()` now and
// then returns with the previous file's KV keys and D1 rows still there (seen with a probe
// key each file wrote: found again by the next file of the same slot, never by the other
// slot's; a second reset removed it), so the reset is repeated, for up to RESET_WITHIN_MS. If storage is still not
// empty after that, this file fails here, naming what it found, instead of a test failing
// later on a count it did not make.
const RESET_WITHIN_MS = 5_000;

/** What storage holds that an empty workerd would not: D1 rows, FEEDS keys. */
async function leftovers(): Promise<string[]> {
  const found: string[] = [];
  const { results: tables } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('d1_migrations', '_cf_KV', '_cf_METADATA')",
  ).all<{ name: string }>();
  for (const { name } of tables) {
    const row = await env.DB.prepare(`SELECT count(*) AS n FROM "${name}"`).first<{ n: number }>();
    if ((row?.n ?? 0) > 0) found.push(`D1 table ${name}: ${row?.n} rows`);
  }
  const keys = await env.FEEDS.list({ limit: 10 });
  if (keys.keys.length > 0)
    found.push(`FEEDS keys: ${keys.keys.map((key) => key.name).join(', ')}`);
  return found;
}

async function freshStorage(): Promise<void> {
  const deadline = Date.now() + RESET_WITHIN_MS;
  for (;;) {
    await reset();
    await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
    const found = await leftovers();
    if (found.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`state from an earlier test file survived reset(): ${found.join('; ')}`);
    }
    console.log(`fresh-file: not empty after reset(), resetting again: ${found.join('; ')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

vi.useRealTimers();
await freshStorage();
vi.resetModules();
