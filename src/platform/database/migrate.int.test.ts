import { createHash } from 'node:crypto';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { migrate, readMigrations } from './migrate.ts';
import { schema } from './schema.ts';
import { createTestDatabase, testDatabaseEngine } from './test-database.ts';

type Migration = ReturnType<typeof readMigrations>[number];

const engine = testDatabaseEngine();

function migration(name: string, sql: string): Migration {
  return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
}

function query<Row>(database: Database, sql: string, params: unknown[] = []): Promise<Row[]> {
  return database.scriptTransaction((connection) => connection.query<Row>(sql, params));
}

async function appliedMigrations(database: Database) {
  return query<{ name: string; checksum: string }>(
    database,
    'SELECT name, checksum FROM schema_migrations ORDER BY name',
  );
}

async function tableExists(database: Database, table: string): Promise<boolean> {
  const rows = await query<{ found: string | null }>(database, 'SELECT to_regclass($1)::text AS found', [
    `public.${table}`,
  ]);
  return rows[0]?.found != null;
}

describe(`migrations on ${engine}`, () => {
  let database: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    return () => database.close();
  });

  it('apply to an empty database in name order, recording each with its checksum', async () => {
    const empty = await createTestDatabase({ unmigrated: true });
    try {
      const migrations = readMigrations();
      expect(migrations.length).toBeGreaterThan(0);
      expect(await migrate(empty)).toEqual(migrations.map((m) => m.name));
      expect(await appliedMigrations(empty)).toEqual(
        migrations.map(({ name, checksum }) => ({ name, checksum })),
      );
    } finally {
      await empty.close();
    }
  });

  it('give a test database with every migration applied and no data', async () => {
    expect((await appliedMigrations(database)).map((m) => m.name)).toEqual(
      readMigrations().map((m) => m.name),
    );
    for (const table of Object.values(schema)) {
      const { name } = getTableConfig(table);
      const rows = await query<{ count: number }>(database, `SELECT count(*)::int AS count FROM "${name}"`);
      expect(rows[0]?.count, name).toBe(0);
    }
  });

  it('are idempotent: a second run applies nothing and changes nothing', async () => {
    const before = await appliedMigrations(database);
    expect(await migrate(database)).toEqual([]);
    expect(await migrate(database)).toEqual([]);
    expect(await appliedMigrations(database)).toEqual(before);
  });

  it('match schema.ts: same tables, columns, types, nullability and primary keys', async () => {
    const differences: string[] = [];

    const columns = await query<{
      table_name: string;
      column_name: string;
      is_nullable: 'YES' | 'NO';
      column_default: string | null;
      sql_type: string;
    }>(
      database,
      `SELECT c.table_name, c.column_name, c.is_nullable, c.column_default,
              (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
                WHERE a.attrelid = format('%I.%I', c.table_schema, c.table_name)::regclass
                  AND a.attname = c.column_name) AS sql_type
         FROM information_schema.columns c
         JOIN information_schema.tables t
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
        WHERE c.table_schema = 'public'
        ORDER BY c.table_name, c.ordinal_position`,
    );
    const primaryKeys = await query<{ table_name: string; column_name: string }>(
      database,
      `SELECT k.table_name, k.column_name
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage k
           ON k.constraint_schema = tc.constraint_schema AND k.constraint_name = tc.constraint_name
        WHERE tc.table_schema = 'public' AND tc.constraint_type = 'PRIMARY KEY'`,
    );

    const dbTables = new Map<string, Map<string, (typeof columns)[number]>>();
    for (const column of columns) {
      let table = dbTables.get(column.table_name);
      if (!table) dbTables.set(column.table_name, (table = new Map<string, (typeof columns)[number]>()));
      table.set(column.column_name, column);
    }
    const dbPrimaryKey = (table: string) =>
      primaryKeys
        .filter((k) => k.table_name === table)
        .map((k) => k.column_name)
        .sort();

    const schemaTables = new Set<string>();
    for (const table of Object.values(schema)) {
      const config = getTableConfig(table);
      schemaTables.add(config.name);
      const dbColumns = dbTables.get(config.name);
      if (!dbColumns) {
        differences.push(`${config.name}: in schema.ts, but no migration creates it`);
        continue;
      }
      for (const column of config.columns) {
        const where = `${config.name}.${column.name}`;
        const dbColumn = dbColumns.get(column.name);
        if (!dbColumn) {
          differences.push(`${where}: in schema.ts, but not in the migrated database`);
          continue;
        }
        const dbNotNull = dbColumn.is_nullable === 'NO';
        if (column.notNull !== dbNotNull) {
          differences.push(
            `${where}: schema.ts says ${column.notNull ? 'NOT NULL' : 'nullable'}, the database ${dbNotNull ? 'NOT NULL' : 'nullable'}`,
          );
        }
        // drizzle writes "numeric(4, 1)", PostgreSQL "numeric(4,1)": the same type.
        if (column.getSQLType().replaceAll(' ', '') !== dbColumn.sql_type.replaceAll(' ', '')) {
          differences.push(
            `${where}: schema.ts says ${column.getSQLType()}, the database ${dbColumn.sql_type}`,
          );
        }
        // A default only in schema.ts would make inserts that omit the column fail.
        if (column.hasDefault && column.default !== undefined && dbColumn.column_default === null) {
          differences.push(`${where}: schema.ts has a default, the database none`);
        }
      }
      for (const name of dbColumns.keys()) {
        if (!config.columns.some((c) => c.name === name)) {
          differences.push(`${config.name}.${name}: in the migrated database, but not in schema.ts`);
        }
      }
      const schemaPrimaryKey = [
        ...config.columns.filter((c) => c.primary).map((c) => c.name),
        ...config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name)),
      ].sort();
      if (schemaPrimaryKey.join() !== dbPrimaryKey(config.name).join()) {
        differences.push(
          `${config.name}: primary key in schema.ts (${schemaPrimaryKey.join(', ')}) differs from the database (${dbPrimaryKey(config.name).join(', ')})`,
        );
      }
    }
    for (const table of dbTables.keys()) {
      if (table !== 'schema_migrations' && !schemaTables.has(table)) {
        differences.push(`${table}: created by a migration, but missing from schema.ts`);
      }
    }

    expect(differences, 'schema.ts and migrations/ disagree').toEqual([]);
  });

  it('refuse a migration that was edited after it was applied', async () => {
    const migrations = readMigrations();
    const edited = migrations.map((m, index) =>
      index === 0 ? migration(m.name, `${m.sql}\n-- an edit after the fact\n`) : m,
    );
    const first = migrations[0]?.name ?? '';
    await expect(migrate(database, edited)).rejects.toThrow(
      `Migration ${first} was changed after it was applied; add a new migration instead.`,
    );
    expect(await appliedMigrations(database)).toEqual(
      migrations.map(({ name, checksum }) => ({ name, checksum })),
    );
  });

  it('apply a new migration, and roll back the whole batch when one of them fails', async () => {
    const migrations = readMigrations();
    const good = migration(
      '9999-12-31-001-test-probe',
      'CREATE TABLE zz_test_probe (id integer PRIMARY KEY);',
    );
    const bad = migration(
      '9999-12-31-002-test-broken',
      'CREATE TABLE zz_test_broken (id integer REFERENCES nowhere (id));',
    );

    await expect(migrate(database, [...migrations, good, bad])).rejects.toThrow(/nowhere/);
    expect(await tableExists(database, 'zz_test_probe')).toBe(false);
    expect((await appliedMigrations(database)).map((m) => m.name)).not.toContain(good.name);

    try {
      expect(await migrate(database, [...migrations, good])).toEqual([good.name]);
      expect(await tableExists(database, 'zz_test_probe')).toBe(true);
    } finally {
      await database.execScript(
        `DROP TABLE IF EXISTS zz_test_probe; DELETE FROM schema_migrations WHERE name = '${good.name}';`,
      );
    }
  });
});
