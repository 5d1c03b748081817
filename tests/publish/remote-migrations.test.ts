// D1 migrations applied through D1's query endpoint (the Cloudflare API stand-in, a real
// SQLite behind it), as `wrangler d1 migrations apply --remote` applies them: the same
// table and names, each file with its row in one query, none twice.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudflareClient } from '../../src/publish/cloudflare-client.ts';
import { createAccountApi } from '../../src/publish/provision/account-api.ts';
import { applyRemoteMigrations } from '../../src/publish/provision/apply-remote-migrations.ts';
import type { StandIn } from '../support/cloudflare-api/stand-in.ts';
import { ACCOUNT, startAccount, TOKEN, tempDir } from '../support/publish-fixtures.ts';

const MIGRATIONS = join(import.meta.dirname, '../../migrations');

let standIn: StandIn;
beforeAll(async () => {
  standIn = await startAccount();
});
afterAll(() => standIn.close());

function setUp() {
  const database = standIn.account.addDatabase(`db-${standIn.requests.length}`);
  const client = createCloudflareClient({ baseUrl: standIn.baseUrl, token: TOKEN });
  const api = createAccountApi(client, ACCOUNT);
  const apply = (migrationsDir: string) =>
    applyRemoteMigrations({
      api,
      databaseId: database.uuid,
      database: database.name,
      migrationsDir,
    });
  const recorded = () =>
    database.sqlite
      .prepare('SELECT name FROM d1_migrations ORDER BY id')
      .all()
      .map((row) => String(row.name));
  return { database, api, apply, recorded };
}

describe('D1 migrations through the REST API', () => {
  it('applies the repository migrations once, in order, recorded as wrangler records them', async () => {
    const { database, api, apply, recorded } = setUp();
    const files = (await readdir(MIGRATIONS)).filter((f) => f.endsWith('.sql')).sort();
    expect(await apply(MIGRATIONS)).toBe(
      `account: D1 database ${database.name}: migrations applied (${files.join(', ')})`,
    );
    expect(recorded()).toEqual(files);
    expect(database.tables()).toEqual(
      expect.arrayContaining(['d1_migrations', 'subscriptions', 'dead_letters']),
    );
    // wrangler's own columns, so `wrangler d1 migrations list` reads the table.
    const columns = database.sqlite.prepare('PRAGMA table_info(d1_migrations)').all();
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'INTEGER'],
      ['name', 'TEXT'],
      ['applied_at', 'TIMESTAMP'],
    ]);
    expect(await api.appliedMigrations(database.uuid)).toEqual(files);
    expect(await apply(MIGRATIONS)).toBe(
      `account: D1 database ${database.name}: migrations up to date`,
    );
    expect(recorded()).toEqual(files);
  });

  it('leaves a failing file unapplied and unrecorded, names it, and applies it on the rerun', async () => {
    const { database, apply, recorded } = setUp();
    const dir = await tempDir('remote-migrations');
    await mkdir(join(dir, 'migrations'));
    const migrations = join(dir, 'migrations');
    await writeFile(join(migrations, '0001_one.sql'), 'CREATE TABLE one (id INTEGER);');
    await writeFile(
      join(migrations, '0002_two.sql'),
      "CREATE TABLE two (id INTEGER);\nINSERT INTO missing VALUES (1);\n-- it's broken",
    );
    await expect(apply(migrations)).rejects.toThrow(
      `could not apply the migration 0002_two.sql to the D1 database ${database.name}: HTTP 400`,
    );
    expect(recorded()).toEqual(['0001_one.sql']);
    expect(database.tables()).not.toContain('two');
    await writeFile(join(migrations, '0002_two.sql'), 'CREATE TABLE two (id INTEGER);');
    expect(await apply(migrations)).toContain('migrations applied (0002_two.sql)');
    expect(recorded()).toEqual(['0001_one.sql', '0002_two.sql']);
  });

  it('names "D1: Edit" when the token may not query the database', async () => {
    const { database, apply } = setUp();
    standIn.inject({ kind: 'denied' }, (r) => r.path.endsWith(`${database.uuid}/query`));
    await expect(apply(MIGRATIONS)).rejects.toThrow('"D1: Edit"');
    expect(database.tables()).toEqual([]);
  });
});
