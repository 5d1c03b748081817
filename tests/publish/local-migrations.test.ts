// npm start applies the D1 migrations through the loader's own D1 binding
// (src/publish/apply-local-migrations.ts) instead of a `wrangler d1 migrations apply --local`
// process. Here against a real SQLite (node:sqlite) behind the same small interface.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { applyLocalMigrations, type LocalD1 } from '../../src/publish/apply-local-migrations.ts';

/** D1's prepare/bind/all/run/batch over node:sqlite; a batch is one transaction, as in D1. */
function sqliteD1(db: DatabaseSync): LocalD1 {
  type Statement = ReturnType<LocalD1['prepare']>;
  const prepare = (query: string, values: SQLInputValue[] = []): Statement => ({
    bind: (...more: unknown[]) => prepare(query, [...values, ...(more as SQLInputValue[])]),
    all: async <T>() => ({ results: db.prepare(query).all(...values) as T[] }),
    run: async () => db.prepare(query).run(...values),
  });
  return {
    prepare,
    batch: async (statements) => {
      db.exec('BEGIN');
      try {
        for (const statement of statements) await statement.run();
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
      return [];
    },
  };
}

/** Splits on semicolons at line ends: enough for these files (npm start uses wrangler's splitter). */
const splitSql = (sql: string) =>
  sql
    .split(/;\s*$/m)
    .map((part) => part.trim())
    .filter((part) => part !== '');

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function migrationsFolder(files: Record<string, string>): Promise<string> {
  dir = await mkdtemp(join(tmpdir(), 'edgefeed-migrations-'));
  for (const [name, sql] of Object.entries(files)) await writeFile(join(dir, name), sql);
  return dir;
}

describe('applying the D1 migrations to the local store', () => {
  it('applies the files in name order, records them as wrangler does, and applies nothing twice', async () => {
    const migrationsDir = await migrationsFolder({
      '0002_more.sql': 'ALTER TABLE readers ADD COLUMN seen INTEGER;',
      '0001_first.sql': 'CREATE TABLE readers (id TEXT);\nCREATE INDEX readers_id ON readers (id);',
      'notes.txt': 'not a migration',
    });
    const sqlite = new DatabaseSync(':memory:');
    const db = sqliteD1(sqlite);
    const options = { db, migrationsDir, table: 'd1_migrations', splitSql };

    expect(await applyLocalMigrations(options)).toEqual(['0001_first.sql', '0002_more.sql']);
    expect(sqlite.prepare('SELECT name FROM d1_migrations ORDER BY id').all()).toEqual([
      { name: '0001_first.sql' },
      { name: '0002_more.sql' },
    ]);
    expect(
      sqlite
        .prepare('PRAGMA table_info(readers)')
        .all()
        .map((column) => column.name),
    ).toEqual(['id', 'seen']);
    expect(await applyLocalMigrations(options)).toEqual([]);
  });

  it('names the file that failed and leaves neither its changes nor its row behind', async () => {
    const migrationsDir = await migrationsFolder({
      '0001_first.sql': 'CREATE TABLE readers (id TEXT);',
      '0002_broken.sql': 'CREATE TABLE half (id TEXT);\nALTER TABLE nowhere ADD COLUMN x INTEGER;',
    });
    const sqlite = new DatabaseSync(':memory:');
    const options = { db: sqliteD1(sqlite), migrationsDir, table: 'd1_migrations', splitSql };

    await expect(applyLocalMigrations(options)).rejects.toThrow(
      `migration ${join(migrationsDir, '0002_broken.sql')} failed: no such table: nowhere`,
    );
    expect(sqlite.prepare('SELECT name FROM d1_migrations').all()).toEqual([
      { name: '0001_first.sql' },
    ]);
    const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
    expect(tables.map((table) => table.name)).not.toContain('half');
  });
});
