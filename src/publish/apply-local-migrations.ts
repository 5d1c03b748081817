import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createMigrationsTableSql, pendingMigrations, quoteIdentifier } from './migration-files.ts';
import { PublishError } from './publish-error.ts';

/** The part of a D1 binding (workers-types' D1Database) applying migrations uses. */
export type LocalD1 = {
  prepare(query: string): LocalD1Statement;
  batch(statements: LocalD1Statement[]): Promise<unknown>;
};
type LocalD1Statement = {
  bind(...values: unknown[]): LocalD1Statement;
  all<T>(): Promise<{ results: T[] }>;
  run(): Promise<unknown>;
};

/**
 * Applies the `.sql` files of `migrationsDir` that `table` does not list yet, in name
 * order, each in one batch with its row in `table` — what `wrangler d1 migrations apply
 * --local` does (same table, same columns, same names), so either finds the other's work
 * done. Run through the store's own D1 binding instead of a wrangler process: that process
 * cost `npm start` ~6 s of CPU for three small files. Returns the names applied.
 */
export async function applyLocalMigrations(options: {
  db: LocalD1;
  migrationsDir: string;
  table: string;
  splitSql: (sql: string) => string[];
}): Promise<string[]> {
  const { db, migrationsDir, table, splitSql } = options;
  const name = quoteIdentifier(table);
  await db.prepare(createMigrationsTableSql(table)).run();
  const { results } = await db.prepare(`SELECT name FROM ${name}`).all<{ name: string }>();
  const applied: string[] = [];
  for (const file of await pendingMigrations(
    migrationsDir,
    results.map((row) => row.name),
  )) {
    const sql = await readFile(join(migrationsDir, file), 'utf8');
    const statements = splitSql(sql).map((query) => db.prepare(query));
    statements.push(db.prepare(`INSERT INTO ${name} (name) VALUES (?)`).bind(file));
    try {
      await db.batch(statements);
    } catch (error) {
      throw new PublishError(
        `migration ${join(migrationsDir, file)} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    applied.push(file);
  }
  return applied;
}
