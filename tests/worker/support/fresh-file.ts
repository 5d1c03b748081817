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
await reset();
vi.resetModules();
vi.useRealTimers();
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);

// What a file starts with is checked, not assumed: if anything an earlier file wrote
// survived the reset (a late `waitUntil`, a queue batch), this file fails here, naming it,
// instead of a test failing later on a count it did not make.
const leftovers: string[] = [];
const { results: tables } = await env.DB.prepare(
  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('d1_migrations', '_cf_KV', '_cf_METADATA')",
).all<{ name: string }>();
for (const { name } of tables) {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM "${name}"`).first<{ n: number }>();
  if ((row?.n ?? 0) > 0) leftovers.push(`D1 table ${name}: ${row?.n} rows`);
}
const keys = await env.FEEDS.list({ limit: 10 });
if (keys.keys.length > 0) {
  leftovers.push(`FEEDS keys: ${keys.keys.map((key) => key.name).join(', ')}`);
}
if (leftovers.length > 0) {
  throw new Error(`state from an earlier test file survived reset(): ${leftovers.join('; ')}`);
}
