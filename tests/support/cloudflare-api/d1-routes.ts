import type { SQLInputValue } from 'node:sqlite';
import { type AccountRequest, failure, jsonBody, paged } from './account-request.ts';
import type { D1Database } from './d1-database.ts';
import { envelope, type Settled } from './envelope.ts';

const DATABASE_PATH = /^\/d1\/database\/([^/]+)(\/query)?$/;

/**
 * D1's database endpoints (Cloudflare API "D1"): list (`?name=` filters), create `{ name }`,
 * get one by uuid (wrangler also asks by name), and `/query` `{ sql, params }`, run by a
 * real SQLite.
 */
export function handleD1Request(r: AccountRequest): Settled | undefined {
  if (r.path === '/d1/database') {
    if (r.method === 'GET') {
      const name = r.url.searchParams.get('name');
      const databases = [...r.account.databases.values()]
        .filter((db) => name === null || db.name.includes(name))
        .map(describe);
      return paged(r, databases, 1000);
    }
    if (r.method !== 'POST') return undefined;
    const name = jsonBody(r)?.name;
    if (typeof name !== 'string' || name === '') return failure(400, 7400, 'name is required');
    if (r.account.database(name)) {
      return failure(400, 7502, 'A database with that name already exists');
    }
    const db = r.account.addDatabase(name);
    return envelope(200, {
      result: { uuid: db.uuid, name: db.name, created_at: db.createdAt, version: 'production' },
    });
  }
  const match = DATABASE_PATH.exec(r.path);
  if (match === null) return undefined;
  const db = r.account.database(decodeURIComponent(match[1] ?? ''));
  if (db === undefined) {
    return failure(404, 7404, `The database ${match[1]} could not be found`);
  }
  if (match[2] === undefined)
    return r.method === 'GET' ? envelope(200, { result: describe(db) }) : undefined;
  if (r.method !== 'POST') return undefined;
  const body = jsonBody(r);
  const sql = body?.sql;
  const params = Array.isArray(body?.params) ? (body.params as SQLInputValue[]) : [];
  if (typeof sql !== 'string') return failure(400, 7400, 'sql is required');
  try {
    return envelope(200, { result: db.query(sql, params) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failure(400, 7500, `${message}: SQLITE_ERROR`);
  }
}

function describe(db: D1Database) {
  return {
    uuid: db.uuid,
    name: db.name,
    version: 'production',
    created_at: db.createdAt,
    num_tables: db.tables().length,
    file_size: 0,
  };
}
