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
 * A seeded database (`{ seed }`, the demo data for app tests) has its own template, built once
 * from the migrated one and named by the migrations and the seed's version, so each test file
 * loads or clones it instead of seeding again.
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
  /** Data every database of this kind starts with, written once into its own template. */
  readonly seed?: TestSeed;
}

export interface TestSeed {
  /** Names the template: lowercase letters only. */
  readonly name: string;
  /** Changes whenever what `run` writes may change (a hash of the code that writes it, say). */
  readonly version: string;
  run(database: Database): Promise<void>;
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

/** This process's templates, by kind ("migrated", or a seed's name). */
const pgliteTemplates = new Map<string, Promise<Blob>>();

async function createPgliteTestDatabase(options: TestDatabaseOptions): Promise<Database> {
  if (options.unmigrated) return wrapPglite(await PGlite.create(PGLITE_TYPES));
  const client = await PGlite.create({ loadDataDir: await pgliteTemplate(options.seed), ...PGLITE_TYPES });
  return wrapPglite(client);
}

function pgliteTemplate(seed: TestSeed | undefined): Promise<Blob> {
  const kind = seed ? seed.name : 'migrated';
  let template = pgliteTemplates.get(kind);
  if (!template) {
    template = loadOrBuildPgliteTemplate(seed);
    pgliteTemplates.set(kind, template);
  }
  return template;
}

function seededChecksum(seed: TestSeed): string {
  return createHash('sha256').update(`${migrationsChecksum()}\n${seed.name} ${seed.version}`).digest('hex');
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

/** The dump's name: `pglite-<version>-<kind>-<checksum>.tar`. */
const PGLITE_DUMP = /^pglite-.+-([a-z]+)-[0-9a-f]{16}\.tar$/;

async function loadOrBuildPgliteTemplate(seed: TestSeed | undefined): Promise<Blob> {
  const kind = seed ? seed.name : 'migrated';
  const checksum = seed ? seededChecksum(seed) : migrationsChecksum();
  const fileName = `pglite-${pgliteVersion()}-${kind}-${checksum.slice(0, 16)}.tar`;
  const cachePath = path.join(pgliteCacheDir, fileName);
  try {
    return new Blob([readFileSync(cachePath)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const client = seed
    ? await PGlite.create({ loadDataDir: await pgliteTemplate(undefined), ...PGLITE_TYPES })
    : await PGlite.create(PGLITE_TYPES);
  try {
    if (seed) await seed.run(wrapPglite(client));
    else await migrate(wrapPglite(client));
    const dump = await client.dumpDataDir('none');
    const bytes = new Uint8Array(await dump.arrayBuffer());
    // Several worker processes may build at once: write aside, rename into place (atomic).
    // The cache only saves time: failing to write it must not fail the tests.
    try {
      mkdirSync(pgliteCacheDir, { recursive: true });
      for (const stale of readdirSync(pgliteCacheDir)) {
        // Earlier builds of this kind, and dumps named the way this cache no longer names them.
        const staleKind = PGLITE_DUMP.exec(stale)?.[1];
        if (stale.endsWith('.tar') && stale !== fileName && (staleKind === undefined || staleKind === kind))
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

/** Templates this process has checked (or built) since it started, by name. */
const templatesChecked = new Set<string>();
let clonesTidied = false;

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
        if (!clonesTidied) {
          await dropAbandonedClones(admin);
          clonesTidied = true;
        }
        const template = options.seed ? seededTemplateName(options.seed) : templateDatabaseName();
        if (!templatesChecked.has(templateDatabaseName())) {
          await ensureTemplate(admin, adminUrl);
          templatesChecked.add(templateDatabaseName());
        }
        // Checked before every clone (one query): another checkout's run on the same server may
        // have tidied away a seeded template since this process last looked.
        if (options.seed) await ensureSeededTemplate(admin, adminUrl, options.seed);
        await admin.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`);
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

/** The seeded template for this checkout's migrations and this seed's version. */
function seededTemplateName(seed: TestSeed): string {
  return `${templatePrefix}${seed.name}_${seededChecksum(seed).slice(0, 16)}`;
}

/**
 * The seeded template: a copy of the migrated one with the seed written in. Versions of the same
 * seed built over a day ago that nobody is using are dropped (each is a whole database).
 */
async function ensureSeededTemplate(admin: pg.Client, adminUrl: string, seed: TestSeed): Promise<void> {
  const wanted = `greenleaf seed ${seed.name} ${seededChecksum(seed)}`;
  const templateName = seededTemplateName(seed);
  const existing = await admin.query<{ comment: string | null }>(
    "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
    [templateName],
  );
  if (existing.rows[0]?.comment?.startsWith(`${wanted} built `)) return;

  // Other versions of this seed built over a day ago: another checkout (a branch tested on the
  // same server) keeps using its own recent one.
  const earlier = await admin.query<{ datname: string; comment: string | null }>(
    `SELECT d.datname, shobj_description(d.oid, 'pg_database') AS comment FROM pg_database d
      WHERE d.datname LIKE $1 AND d.datname <> $2
        AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname)`,
    [`${templatePrefix}${seed.name}\\_%`, templateName],
  );
  for (const { datname, comment } of earlier.rows) {
    const builtAt = Number(/ built (\d+)$/.exec(comment ?? '')?.[1] ?? 0);
    if (Date.now() - builtAt < 86_400_000) continue;
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(datname)}`).catch(() => undefined);
  }
  await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(templateName)} WITH (FORCE)`);
  await admin.query(
    `CREATE DATABASE ${quoteIdentifier(templateName)} TEMPLATE ${quoteIdentifier(templateDatabaseName())}`,
  );
  const template = openPostgresDatabase(databaseUrl(adminUrl, templateName), 1);
  try {
    await seed.run(template);
  } finally {
    await template.close();
  }
  await admin.query(
    `COMMENT ON DATABASE ${quoteIdentifier(templateName)} IS '${wanted} built ${String(Date.now())}'`,
  );
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
