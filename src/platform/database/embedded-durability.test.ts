/**
 * Durability of the embedded database. A killed process cannot show lost writes (the operating
 * system still holds them); a power cut can. So this checks what a power cut depends on:
 * PostgreSQL runs with fsync on and commits synchronously, and a commit really asks the
 * operating system to put the file on the disk (`fsync`) before it is acknowledged.
 */
import fs, { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openEmbeddedDatabase, type Database } from './database.ts';
import { createPglite } from './pglite-types.ts';

describe('the embedded database’s durability', { timeout: 240_000 }, () => {
  let dataDir: string;
  let database: Database;

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'greenleaf-durability-'));
    database = await openEmbeddedDatabase(dataDir, {
      prepare: (made) => made.execScript('CREATE TABLE written (note text)'),
    });
  }, 400_000);

  afterAll(async () => {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function setting(name: string): Promise<string> {
    return database.scriptTransaction(async (connection) => {
      const rows = await connection.query<Record<string, string>>(`SHOW ${name}`);
      return rows[0]?.[name] ?? '';
    });
  }

  it('runs PostgreSQL with fsync on and synchronous commits', async () => {
    expect(await setting('fsync')).toBe('on');
    expect(await setting('synchronous_commit')).toBe('on');
    expect(await setting('full_page_writes')).toBe('on');
    // fdatasync does nothing in PGlite's C library; fsync reaches the disk.
    expect(await setting('wal_sync_method')).toBe('fsync');
  });

  it('puts a commit on the disk before acknowledging it', async () => {
    // The server's database runs in a thread of its own (pglite-thread.ts), opened by the same
    // createPglite; here it is opened in this thread, where the calls to the disk can be seen.
    await database.close();
    const pglite = await createPglite(path.join(dataDir, 'pgdata'), { durable: true });
    const fsync = vi.spyOn(fs, 'fsyncSync');
    try {
      await pglite.exec(`INSERT INTO written VALUES ('acknowledged')`);
      expect(fsync).toHaveBeenCalled();
    } finally {
      fsync.mockRestore();
      await pglite.close();
      database = await openEmbeddedDatabase(dataDir);
    }
  });
});
