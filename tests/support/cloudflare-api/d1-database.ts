import { randomUUID } from 'node:crypto';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';

/** One statement's answer as D1's `/query` gives it: rows, and what it changed. */
export type D1Result = {
  results: Record<string, unknown>[];
  success: true;
  meta: {
    changed_db: boolean;
    changes: number;
    duration: number;
    last_row_id: number;
    rows_read: number;
    rows_written: number;
    size_after: number;
  };
};

/** A D1 database with a real SQLite (node:sqlite) behind it, in memory. */
export class D1Database {
  readonly uuid = randomUUID();
  readonly name: string;
  readonly createdAt = new Date().toISOString();
  readonly sqlite = new DatabaseSync(':memory:');

  constructor(name: string) {
    this.name = name;
  }

  /** The names of the tables a deploy's migrations created (sqlite's own left out). */
  tables(): string[] {
    return this.sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all()
      .map((row) => String(row.name));
  }

  /**
   * Runs `sql` (one or more statements, `?` parameters for the first) as D1's query
   * endpoint does: one result per statement, in order, all or nothing.
   */
  query(sql: string, params: readonly SQLInputValue[]): D1Result[] {
    const statements = splitStatements(sql);
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    if (statements.length > 1) {
      // A script (a migration file): SQLite runs it whole, in one transaction, as D1 does.
      this.sqlite.exec('BEGIN');
      try {
        this.sqlite.exec(sql);
        this.sqlite.exec('COMMIT');
      } catch (error) {
        this.sqlite.exec('ROLLBACK');
        throw error;
      }
      return statements.map(() => result([], 0, 0, elapsed()));
    }
    const statement = this.sqlite.prepare(sql);
    if (statement.columns().length > 0) return [result(statement.all(...params), 0, 0, elapsed())];
    const run = statement.run(...params);
    return [result([], Number(run.changes), Number(run.lastInsertRowid), elapsed())];
  }
}

function result(
  rows: Record<string, unknown>[],
  changes: number,
  lastRowId: number,
  duration: number,
): D1Result {
  return {
    results: rows,
    success: true,
    meta: {
      changed_db: changes > 0,
      changes,
      duration,
      last_row_id: lastRowId,
      rows_read: rows.length,
      rows_written: changes,
      size_after: 0,
    },
  };
}

/** Statements of a script, split where SQLite says one is complete (quotes, comments kept). */
function splitStatements(sql: string): string[] {
  const statements: string[] = [];
  let current = '';
  for (const piece of sql.split(/(?<=;)/)) {
    current += piece;
    if (isComplete(current)) {
      if (
        current
          .replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '')
          .trim()
          .replace(/;$/, '') !== ''
      )
        statements.push(current);
      current = '';
    }
  }
  if (current.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() !== '') statements.push(current);
  return statements;
}

/** Outside quotes and a BEGIN…END trigger body: a `;` ends the statement there. */
function isComplete(text: string): boolean {
  const quotes = (text.match(/'/g) ?? []).length;
  if (quotes % 2 === 1) return false;
  const bare = text.replace(/'[^']*'/g, '').replace(/--[^\n]*/g, '');
  const begins = (bare.match(/\bBEGIN\b/gi) ?? []).length;
  const ends = (bare.match(/\bEND\b\s*;/gi) ?? []).length;
  return begins <= ends || !/CREATE\s+TRIGGER/i.test(bare);
}
