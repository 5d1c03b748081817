import { readdir } from 'node:fs/promises';

// The D1 migrations as wrangler keeps them (`wrangler d1 migrations apply`, wrangler-dist
// `getCreateMigrationsTableQuery`): the `.sql` files of the migrations folder, applied in
// name order, each recorded by its file name in a table of this shape. Our local and remote
// appliers write the same table, so wrangler and either of them find each other's work done.

/** `name` as an SQLite identifier: in double quotes, inner quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Creates the table of applied migrations unless it exists (wrangler's columns). */
export function createMigrationsTableSql(table: string): string {
  return `CREATE TABLE IF NOT EXISTS ${quoteIdentifier(table)} (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        name       TEXT UNIQUE,
        applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
      );`;
}

/** The `.sql` files of `migrationsDir` not in `applied`, in the order they apply. */
export async function pendingMigrations(
  migrationsDir: string,
  applied: Iterable<string>,
): Promise<string[]> {
  const done = new Set(applied);
  const files = (await readdir(migrationsDir)).filter((file) => file.endsWith('.sql')).sort();
  return files.filter((file) => !done.has(file));
}
