/**
 * Databases for integration tests: one migrated, empty database per test file (never one per
 * test), cloned from a template because making a fresh one costs ~3 s (STACK.md, PGlite trap 4).
 *
 * - `TEST_DATABASE_URL=postgres://…/postgres` (an admin database on a PostgreSQL server): a
 *   template database `greenleaf_test_template_<migrations checksum>` is migrated once and each
 *   call clones it with `CREATE DATABASE … TEMPLATE`. Named by the checksum, so two checkouts
 *   with different migrations (two branches tested on one server) each keep their own; the
 *   comment, written last, says the template was fully migrated. `close()` drops the clone.
 * - Otherwise PGlite: migrations run once into an in-memory instance whose data directory is
 *   dumped to `.tmp/test-database/` (keyed by PGlite version and migrations checksum, shared by
 *   every Vitest worker process), and each call loads a new instance from that dump (~0.4 s).
 *
 * Always `await database.close()` in `afterAll`: each PGlite instance holds hundreds of MB.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openPostgresDatabase, PGLITE_TYPES, processIsAlive, wrapPglite, type Database } from './database.ts';
import { migrate, readMigrations } from './migrate.ts';

const templatePrefix = 'greenleaf_test_template_';
const cloneDatabasePrefix = 'greenleaf_test_';
/** Held on the admin database while the template is checked, rebuilt or cloned. */
const templateLockKey = 7318002;
/** Bump when the way the template is built changes, to force a rebuild. */
const templateFormat = 1;

const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const pgliteCacheDir = path.join(repositoryRoot, '.tmp', 'test-database');

export interface TestDatabaseOptions {
  /** An empty database with no migrations applied (for testing the migrations themselves). */
  readonly unmigrated?: boolean;
}

/** A test database; on PostgreSQL, with its address, for a server process started on it. */
export type TestDatabase = Database & { readonly url?: string };

/** A migrated, empty database for one test file. Close it in `afterAll`. */
export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (adminUrl !== undefined && adminUrl !== '') return createPostgresTestDatabase(adminUrl, options);
  return createPgliteTestDatabase(options);
}

/** Which engine `createTestDatabase()` uses in this process, for test names. */
export function testDatabaseEngine(): Database['engine'] {
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded';
}

/** Identifies the migrations (names and contents) the template was built from. */
export function migrationsChecksum(): string {
  const hash = createHash('sha256').update(`format ${String(templateFormat)}\n`);
  for (const migration of readMigrations()) hash.update(`${migration.name} ${migration.checksum}\n`);
  return hash.digest('hex');
}

// ---------------------------------------------------------------------------------------------
// PGlite

let pgliteTemplate: Promise<Blob> | undefined;

async function createPgliteTestDatabase(options: TestDatabaseOptions): Promise<Database> {
  if (options.unmigrated) return wrapPglite(await PGlite.create(PGLITE_TYPES));
  pgliteTemplate ??= loadOrBuildPgliteTemplate();
  const client = await PGlite.create({ loadDataDir: await pgliteTemplate, ...PGLITE_TYPES });
  return wrapPglite(client);
}

function pgliteVersion(): string {
  // The dump's format follows PGlite's PostgreSQL version ('./package.json' is not exported).
  try {
    const manifest = path.join(repositoryRoot, 'node_modules', '@electric-sql', 'pglite', 'package.json');
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

async function loadOrBuildPgliteTemplate(): Promise<Blob> {
  const fileName = `pglite-${pgliteVersion()}-${migrationsChecksum().slice(0, 16)}.tar`;
  const cachePath = path.join(pgliteCacheDir, fileName);
  try {
    return new Blob([readFileSync(cachePath)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const client = await PGlite.create(PGLITE_TYPES);
  try {
    await migrate(wrapPglite(client));
    const dump = await client.dumpDataDir('none');
    const bytes = new Uint8Array(await dump.arrayBuffer());
    // Several worker processes may build at once: write aside, rename into place (atomic).
    // The cache only saves time: failing to write it must not fail the tests.
    try {
      mkdirSync(pgliteCacheDir, { recursive: true });
      for (const stale of readdirSync(pgliteCacheDir)) {
        if (stale.endsWith('.tar') && stale !== fileName)
          rmSync(path.join(pgliteCacheDir, stale), { force: true });
      }
      const partial = `${cachePath}.${String(process.pid)}.partial`;
      writeFileSync(partial, bytes);
      renameSync(partial, cachePath);
    } catch (error) {
      console.warn(`Could not cache the test database template in ${pgliteCacheDir}:`, error);
    }
    return new Blob([bytes]);
  } finally {
    await client.close();
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withAdminConnection<T>(adminUrl: string, work: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.end();
  }
}

let templateChecked = false;

/** The template for this checkout's migrations. */
export function templateDatabaseName(): string {
  return `${templatePrefix}${migrationsChecksum().slice(0, 16)}`;
}

async function createPostgresTestDatabase(
  adminUrl: string,
  options: TestDatabaseOptions,
): Promise<TestDatabase> {
  // <prefix><pid>_<random>: the pid lets a later run drop what a crashed worker left behind.
  const name = `${cloneDatabasePrefix}${String(process.pid)}_${randomBytes(6).toString('hex')}`;
  await withAdminConnection(adminUrl, async (admin) => {
    await admin.query('SELECT pg_advisory_lock($1)', [templateLockKey]);
    try {
      if (!options.unmigrated) {
        if (!templateChecked) {
          await dropAbandonedClones(admin);
          await ensureTemplate(admin, adminUrl);
          templateChecked = true;
        }
        await admin.query(
          `CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(templateDatabaseName())}`,
        );
      } else {
        await admin.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE template0`);
      }
    } finally {
      await admin.query('SELECT pg_advisory_unlock($1)', [templateLockKey]);
    }
  });

  const url = databaseUrl(adminUrl, name);
  const database = openPostgresDatabase(url, 4);
  return {
    ...database,
    url,
    async close() {
      await database.close();
      await withAdminConnection(adminUrl, async (admin) => {
        // FORCE: a test that left a connection open (a job queue, say) must not leak the database.
        await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      });
    },
  };
}

async function ensureTemplate(admin: pg.Client, adminUrl: string): Promise<void> {
  const wanted = `greenleaf migrations ${migrationsChecksum()}`;
  const templateName = templateDatabaseName();
  const existing = await admin.query<{ comment: string | null }>(
    "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
    [templateName],
  );
  if (existing.rows[0]?.comment === wanted) return;

  // Missing, built from other migrations, or half-built by a crashed run: build it afresh.
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(templateName)} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${quoteIdentifier(templateName)} TEMPLATE template0`);
  const template = openPostgresDatabase(databaseUrl(adminUrl, templateName), 1);
  try {
    await migrate(template);
  } finally {
    // CREATE DATABASE … TEMPLATE refuses while anyone is connected to the template.
    await template.close();
  }
  // The comment is written last, so a template is only ever trusted once fully migrated.
  await admin.query(`COMMENT ON DATABASE ${quoteIdentifier(templateName)} IS '${wanted}'`);
}

/** Drops clones whose worker process has gone (killed on a timeout, say) and nobody uses. */
async function dropAbandonedClones(admin: pg.Client): Promise<void> {
  const clones = await admin.query<{ datname: string }>(
    `SELECT d.datname FROM pg_database d
      WHERE d.datname ~ '^greenleaf_test_[0-9]+_[0-9a-f]+$'
        AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
  );
  for (const { datname } of clones.rows) {
    const pid = Number(/^greenleaf_test_(\d+)_/.exec(datname)?.[1]);
    if (pid === process.pid || processIsAlive(pid)) continue;
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)}`);
    } catch {
      // Someone connected meanwhile: leave it for a later run.
    }
  }
}
