import { applyD1Migrations, env, reset } from 'cloudflare:test';
import { vi } from 'vitest';

// setupFiles of the worker project, run before each test file. The project runs with
// `isolate: false` (vitest.config.ts): one workerd serves the files in turn instead of a
// workerd started per file (~2 s of CPU each). What a new workerd gave a file, this gives
// it back:
// - `reset()` deletes every Durable Object, and Miniflare keeps KV, D1, the Cache API, the
//   queues and our PolitePolling objects in Durable Objects;
// - the module registry reset (resetOwnModules below, `vi.resetModules()` but for
//   node_modules): the worker's modules (src/worker) are evaluated again for this file, so
//   what an isolate holds in memory (the held pointer, the memory cache, the stats batch)
//   starts empty, as in a new isolate;
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
resetOwnModules();

/** One module as vitest's module runner keeps it (vite/module-runner's EvaluatedModuleNode). */
type ModuleNode = {
  promise?: unknown;
  exports?: unknown;
  evaluated?: boolean;
  importers: Set<string>;
};

/**
 * `vi.resetModules()` but for node_modules: every other module (src/, tests/, the
 * cloudflare:test harness) is evaluated again for the next file, while the packages (hono,
 * zod and the rest: half the modules, and most of the ~5 core-seconds a run spent evaluating
 * them 35 times) keep the instance they have. None of them holds what a request left: the
 * app and every cache are made in src/. It clears exactly what vitest 5's resetModules
 * clears (vitest/dist/chunks/utils.*.js), on the same map, reached through the worker state
 * vitest keeps on globalThis; where that is not found (another vitest), this is
 * `vi.resetModules()` itself, slower and as correct.
 */
function resetOwnModules(): void {
  const state = (globalThis as { __vitest_worker__?: { evaluatedModules?: unknown } })
    .__vitest_worker__;
  const modules = (state?.evaluatedModules as { idToModuleMap?: Map<string, ModuleNode> })
    ?.idToModuleMap;
  if (!(modules instanceof Map)) {
    vi.resetModules();
    return;
  }
  let reset = 0;
  for (const [id, node] of modules) {
    if (id.includes('/node_modules/') || id.startsWith('mock:')) continue;
    node.promise = undefined;
    node.exports = undefined;
    node.evaluated = false;
    node.importers.clear();
    reset++;
  }
  if (reset === 0) vi.resetModules();
}
