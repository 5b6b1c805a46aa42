/**
 * `npm run restore -- <file> [--replace]`: puts a backup from `npm run backup` into the
 * configured database. PostgreSQL (a pg_dump file): into an empty database only, with
 * pg_restore. Embedded (a .tar.gz copy): into DATA_DIR, which must hold no database; with
 * --replace, a stopped service's database is moved aside (never deleted) first.
 * Exit code 0: restored; 1: not.
 */
import { existsSync, openSync, readFileSync, readSync, closeSync, renameSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { ConfigError, loadConfig, type Config } from '../../config.ts';
import {
  DatabaseLockedError,
  holdsEmbeddedDatabase,
  openEmbeddedCopy,
  liveLockHolder,
} from '../database/database.ts';
import type { CommandOutput } from './backup-command.ts';
import { PgToolError, runPgTool } from './pg-tools.ts';

export interface RestoreOptions {
  argv: readonly string[];
  env: Record<string, string | undefined>;
  output: CommandOutput;
  now?: Date;
}

const USAGE = 'Usage: npm run restore -- <backup file> [--replace]';

class RestoreRefused extends Error {}

function parseArgs(argv: readonly string[]): { file: string; replace: boolean } | string {
  let file: string | undefined;
  let replace = false;
  for (const arg of argv) {
    if (arg === '--replace') replace = true;
    else if (!arg.startsWith('--') && file === undefined) file = arg;
    else return `Unknown argument ${arg}.\n${USAGE}`;
  }
  return file ? { file, replace } : USAGE;
}

function kindOf(file: string): 'postgres' | 'embedded' | undefined {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(5);
    readSync(fd, head, 0, 5, 0);
    if (head.toString('latin1') === 'PGDMP') return 'postgres';
    if (head[0] === 0x1f && head[1] === 0x8b) return 'embedded';
    return undefined;
  } finally {
    closeSync(fd);
  }
}

async function restorePostgres(url: string, file: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')`,
    );
    if ((rows[0]?.n ?? 0) > 0) {
      throw new RestoreRefused(
        'The database DATABASE_URL names is not empty, so nothing was restored: a restore never overwrites a database. ' +
          'Create a new, empty database, point DATABASE_URL at it and run the restore again.',
      );
    }
  } finally {
    await client.end();
  }
  await runPgTool('pg_restore', url, ['--no-owner', '--exit-on-error', '--single-transaction', file]);
}

async function restoreEmbedded(dataDir: string, file: string, replace: boolean, now: Date): Promise<string> {
  let note = '';
  if (holdsEmbeddedDatabase(dataDir)) {
    if (!replace) {
      throw new RestoreRefused(
        `${dataDir} (DATA_DIR) already holds a database, so nothing was restored. Restore into a new folder ` +
          '(DATA_DIR=<new folder> npm run restore -- <file>), or, to replace this one, stop the service and add --replace: ' +
          'the database there is then moved aside, not deleted.',
      );
    }
    // Checked before anything is moved: the service using it must be stopped first.
    const holder = liveLockHolder(path.resolve(dataDir));
    if (holder) throw new DatabaseLockedError(path.resolve(dataDir), holder);
    const aside = path.join(dataDir, `pgdata.replaced-${now.toISOString().replace(/[-:.]/g, '')}`);
    renameSync(path.join(dataDir, 'pgdata'), aside);
    note = ` The database that was there is now in ${aside}.`;
  }
  const database = await openEmbeddedCopy(dataDir, readFileSync(file));
  try {
    await database.execScript('SELECT count(*) FROM audit_events');
  } finally {
    await database.close();
  }
  return note;
}

export async function runRestore(options: RestoreOptions): Promise<number> {
  const { output } = options;
  let config: Config;
  try {
    config = loadConfig(options.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      output.error(error.message);
      return 1;
    }
    throw error;
  }
  const args = parseArgs(options.argv);
  if (typeof args === 'string') {
    output.error(args);
    return 1;
  }
  if (!existsSync(args.file)) {
    output.error(`There is no backup file ${args.file}.`);
    return 1;
  }
  const kind = kindOf(args.file);
  if (kind !== config.database.kind) {
    output.error(
      kind === undefined
        ? `${args.file} is not a backup made by npm run backup.`
        : `${args.file} is a backup of ${kind === 'postgres' ? 'a PostgreSQL' : 'an embedded'} database, but this configuration uses ` +
            `${config.database.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'the embedded database (DATA_DIR)'}: restore it into the same kind.`,
    );
    return 1;
  }
  try {
    let note = '';
    if (config.database.kind === 'postgres') await restorePostgres(config.database.url, args.file);
    else
      note = await restoreEmbedded(
        config.database.dataDir,
        args.file,
        args.replace,
        options.now ?? new Date(),
      );
    output.log(`Restored ${args.file}.${note}`);
    output.log(
      "Next: put this deployment's audit key in place (AUDIT_KEY, or the audit-key file in DATA_DIR), then check the " +
        'restored audit log: npm run audit:verify -- --checkpoints <the checkpoint file kept with the backup>',
    );
    return 0;
  } catch (error) {
    if (
      error instanceof RestoreRefused ||
      error instanceof PgToolError ||
      error instanceof DatabaseLockedError
    ) {
      output.error(error.message);
      return 1;
    }
    throw error;
  }
}
