import { applyD1Migrations, env, reset } from 'cloudflare:test';
import { vi } from 'vitest';

// setupFiles of the workers project, run before each test file. The project runs with
// `isolate: false` (vitest.config.ts): one workerd serves every file in turn, instead of a
// workerd started per file (~2 s each). What isolation gave each file, this gives it back:
// - `reset()` deletes every Durable Object, and Miniflare keeps KV, D1, the Cache API, the
//   queues and our own PolitePolling objects in Durable Objects: each file starts with an
//   empty FEEDS namespace, an empty D1 database, an empty cache and no polling history;
// - `vi.resetModules()`: the worker's modules (src/worker) are evaluated again for this
//   file, so what an isolate holds in memory (the held pointer, the memory cache, the stats
//   batch) starts empty, as in a new isolate;
// - real timers, whatever the file before left.
// Then the D1 migrations (migrations/*.sql) are applied to the empty database.
await reset();
vi.resetModules();
vi.useRealTimers();
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
