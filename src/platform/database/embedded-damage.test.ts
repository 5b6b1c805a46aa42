/**
 * A damaged embedded database folder (files deleted or emptied by a failing disk, a bad copy or
 * a mistaken clean-up). Start-up must stop with words that name the damage and point at the
 * restore instructions, and must never make a new database over the old one. Embedded only, so
 * a plain test file.
 */
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditVerify } from '../../audit/audit-verify-command.ts';
import { TEST_AUDIT_KEY } from '../../test-support/audit-key.ts';
import { openEmbeddedDatabase } from './database.ts';
import { DatabaseDamagedError } from './embedded-folder.ts';
import { DiskFullError } from './disk-full.ts';

/** Every file under a folder, so a test can see nothing was added, removed or replaced. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).sort();
}

describe('a damaged embedded database', { timeout: 240_000 }, () => {
  let root: string;
  let template: string;
  let cases = 0;

  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'greenleaf-damage-'));
    template = path.join(root, 'template');
    const database = await openEmbeddedDatabase(template, {
      prepare: (made) =>
        made.execScript(`CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written before');`),
    });
    await database.close();
  }, 400_000);

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  /** A copy of a healthy data folder (made once: making one takes many seconds). */
  function copyOfHealthyFolder(): { dataDir: string; pgdata: string } {
    const dataDir = path.join(root, `case-${String(++cases)}`);
    cpSync(template, dataDir, { recursive: true });
    return { dataDir, pgdata: path.join(dataDir, 'pgdata') };
  }

  async function expectRefused(dataDir: string, problem: RegExp): Promise<void> {
    const before = filesUnder(dataDir);
    const opening = openEmbeddedDatabase(dataDir);
    await expect(opening).rejects.toBeInstanceOf(DatabaseDamagedError);
    await expect(opening).rejects.toThrow(problem);
    await expect(opening).rejects.toThrow('no new database has been made in its place');
    await expect(opening).rejects.toThrow('the section "Backups and restore" in the README');
    // Nothing made, nothing removed: the folder is as the damage left it, and the lock is let go.
    expect(filesUnder(dataDir)).toEqual(before);
    expect(existsSync(path.join(dataDir, 'greenleaf.lock'))).toBe(false);
  }

  it('a database made on first start holds what was prepared in it, and opens again', async () => {
    const { dataDir } = copyOfHealthyFolder();
    expect(readdirSync(dataDir).filter((name) => name.startsWith('pgdata'))).toEqual(['pgdata']);
    const database = await openEmbeddedDatabase(dataDir);
    try {
      let notes: unknown;
      await database.scriptTransaction(async (connection) => {
        notes = await connection.query('SELECT note FROM kept');
      });
      expect(notes).toEqual([{ note: 'written before' }]);
    } finally {
      await database.close();
    }
  });

  it('a missing PG_VERSION stops start-up instead of making a fresh database over the data', async () => {
    const { dataDir, pgdata } = copyOfHealthyFolder();
    unlinkSync(path.join(pgdata, 'PG_VERSION'));
    await expectRefused(dataDir, /the file PG_VERSION is missing/);
  });

  it('an empty control file stops start-up with words, not "RuntimeError: Aborted()"', async () => {
    const { dataDir, pgdata } = copyOfHealthyFolder();
    truncateSync(path.join(pgdata, 'global', 'pg_control'), 0);
    await expectRefused(dataDir, /global\/pg_control is 0 bytes long/);
  });

  it('a deleted write-ahead log stops start-up with words', async () => {
    const { dataDir, pgdata } = copyOfHealthyFolder();
    const wal = path.join(pgdata, 'pg_wal');
    for (const name of readdirSync(wal)) if (/^[0-9A-F]{24}$/.test(name)) unlinkSync(path.join(wal, name));
    await expectRefused(dataDir, /the write-ahead log \(the pg_wal folder\) is missing or empty/);
  });

  it('damage only PostgreSQL itself notices is still named as damage', async () => {
    const { dataDir, pgdata } = copyOfHealthyFolder();
    writeFileSync(path.join(pgdata, 'global', 'pg_control'), Buffer.alloc(8192));
    await expectRefused(dataDir, /PostgreSQL could not start on it/);
  });

  it('audit:verify reports a damaged database and exits 2 instead of crashing', async () => {
    const { dataDir, pgdata } = copyOfHealthyFolder();
    unlinkSync(path.join(pgdata, 'PG_VERSION'));
    const out: string[] = [];
    const code = await runAuditVerify({
      argv: [],
      env: { DATA_DIR: dataDir, AUDIT_KEY: TEST_AUDIT_KEY.exportBase64() },
      output: { log: (text) => out.push(text), error: (text) => out.push(text) },
    });
    const text = out.join('\n');
    expect(text).toContain('THE DATABASE IS DAMAGED');
    expect(text).toContain('the file PG_VERSION is missing');
    expect(text).toContain('Backups and restore');
    expect(code).toBe(2);
    expect(existsSync(path.join(pgdata, 'PG_VERSION'))).toBe(false);
  });

  it('audit:verify on a folder without a database says so, and makes none', async () => {
    const dataDir = path.join(root, 'empty');
    const out: string[] = [];
    const code = await runAuditVerify({
      argv: [],
      env: { DATA_DIR: dataDir, AUDIT_KEY: TEST_AUDIT_KEY.exportBase64() },
      output: { log: (text) => out.push(text), error: (text) => out.push(text) },
    });
    expect(out.join('\n')).toContain(`There is no embedded database in ${path.join(dataDir, 'pgdata')}`);
    expect(code).toBe(1);
    expect(existsSync(path.join(dataDir, 'pgdata'))).toBe(false);
  });

  it('a first start that fails half-way (the disk full) says so, and leaves no database, half-made or whole', async () => {
    // The migrations stop on the error PostgreSQL gives when a file cannot grow on a full disk.
    const dataDir = path.join(root, 'first-start');
    const opening = openEmbeddedDatabase(dataDir, {
      prepare: async (made) => {
        await made.execScript('CREATE TABLE half (x int)');
        throw Object.assign(new Error('could not extend file "base/5/16384": No space left on device'), {
          code: '53100',
        });
      },
    });
    await expect(opening).rejects.toBeInstanceOf(DiskFullError);
    await expect(opening).rejects.toThrow(`the disk holding ${dataDir} is full`);
    await expect(opening).rejects.toThrow('No database was made or changed');
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
