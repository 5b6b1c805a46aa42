/**
 * What the embedded database's folder holds before PGlite is let near it. PGlite makes a new,
 * empty database wherever it finds no `PG_VERSION`, and a damaged one stops it with nothing but
 * `RuntimeError: Aborted()`; both are caught here, so a folder holding a database is never
 * written over and damage is named in words.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The README section that says how to put a backup back. */
export const RESTORE_INSTRUCTIONS = 'the section "Backups and restore" in the README';

export type EmbeddedFolderState =
  { kind: 'none' } | { kind: 'database' } | { kind: 'damaged'; problem: string };

/** PostgreSQL's control file is exactly one 8 kB page. */
const PG_CONTROL_SIZE = 8192;
const WAL_SEGMENT = /^[0-9A-F]{24}$/;

function sizeOf(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

/** What `pgdata` holds: nothing (a database may be made there), a database, or a damaged one. */
export function inspectEmbeddedFolder(pgdata: string): EmbeddedFolderState {
  if (!existsSync(pgdata)) return { kind: 'none' };
  const entries = readdirSync(pgdata);
  if (entries.length === 0) return { kind: 'none' };
  if (!entries.includes('PG_VERSION')) {
    return {
      kind: 'damaged',
      problem: `the file PG_VERSION is missing, but the folder holds ${String(entries.length)} other entries`,
    };
  }
  const control = sizeOf(path.join(pgdata, 'global', 'pg_control'));
  if (control === undefined)
    return { kind: 'damaged', problem: 'the control file global/pg_control is missing' };
  if (control !== PG_CONTROL_SIZE) {
    return {
      kind: 'damaged',
      problem: `the control file global/pg_control is ${String(control)} bytes long instead of ${String(PG_CONTROL_SIZE)}`,
    };
  }
  const wal = path.join(pgdata, 'pg_wal');
  if (!existsSync(wal) || !readdirSync(wal).some((name) => WAL_SEGMENT.test(name))) {
    return { kind: 'damaged', problem: 'the write-ahead log (the pg_wal folder) is missing or empty' };
  }
  return { kind: 'database' };
}

export class DatabaseDamagedError extends Error {
  constructor(pgdata: string, problem: string) {
    super(
      `Greenleaf cannot start: the embedded database in ${pgdata} is damaged: ${problem}.\n` +
        'Nothing in that folder has been changed, and no new database has been made in its place.\n' +
        'Do not delete or edit the folder. Stop here and restore the latest backup, as ' +
        `${RESTORE_INSTRUCTIONS} describes; keep the damaged folder until the restore is checked.`,
    );
    this.name = 'DatabaseDamagedError';
  }
}

/** audit:verify and the other commands that only read: a folder without a database is not made one. */
export class DatabaseMissingError extends Error {
  constructor(pgdata: string) {
    super(`There is no embedded database in ${pgdata}. Check DATA_DIR names the folder the service uses.`);
    this.name = 'DatabaseMissingError';
  }
}
