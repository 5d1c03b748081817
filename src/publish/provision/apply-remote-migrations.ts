import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createMigrationsTableSql,
  pendingMigrations,
  quoteIdentifier,
} from '../migration-files.ts';
import type { AccountApi } from './account-api.ts';

/** wrangler's name for the table of applied migrations (`migrations_table` unset). */
const TABLE = 'd1_migrations';

/**
 * Applies the migrations the remote database lacks through D1's query endpoint, as
 * `wrangler d1 migrations apply --remote` does (wrangler-dist `buildMigrationQuery`): the
 * table made if missing, then each pending file in one query with its row in
 * `d1_migrations`, so a failed file leaves neither its tables nor its row and the rerun
 * applies it again. Done by our REST client rather than a wrangler process: that process
 * cost a first deploy 2–2.5 s of CPU for a few small files. Returns the line to log.
 */
export async function applyRemoteMigrations(options: {
  api: AccountApi;
  databaseId: string;
  database: string;
  migrationsDir: string;
}): Promise<string> {
  const { api, databaseId, database, migrationsDir } = options;
  const table = quoteIdentifier(TABLE);
  await api.query(
    databaseId,
    createMigrationsTableSql(TABLE),
    `prepare the migrations table of the D1 database ${database}`,
  );
  const rows = await api.query(
    databaseId,
    `SELECT name FROM ${table}`,
    `read the migrations applied to the D1 database ${database}`,
  );
  const pending = await pendingMigrations(
    migrationsDir,
    rows.map((row) => String(row.name)),
  );
  for (const file of pending) {
    const sql = await readFile(join(migrationsDir, file), 'utf8');
    await api.query(
      databaseId,
      `${sql}\nINSERT INTO ${table} (name) VALUES ('${file.replaceAll("'", "''")}');`,
      `apply the migration ${file} to the D1 database ${database}`,
    );
  }
  return pending.length > 0
    ? `account: D1 database ${database}: migrations applied (${pending.join(', ')})`
    : `account: D1 database ${database}: migrations up to date`;
}
