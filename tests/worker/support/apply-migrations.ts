import { applyD1Migrations, env } from 'cloudflare:test';

// setupFiles of the workers project: every test file gets its own D1 database (storage is
// isolated per file), so each applies migrations/*.sql before its tests. Applying is
// idempotent (d1_migrations records what ran).
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
