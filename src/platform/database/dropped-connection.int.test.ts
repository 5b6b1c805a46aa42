/**
 * Connections the server ends (a restart, an immediate stop, pg_terminate_backend): idle in the
 * pool, or checked out by a transaction, with or without a query running. None may take the
 * process down (an unhandled 'error' fails this file), and the next query works. On PostgreSQL,
 * the same again against a whole server process (`node src/server.ts`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Database } from './database.ts';
import { createTestDatabase, testDatabaseEngine, type TestDatabase } from './test-database.ts';
import { startServer, type RunningServer } from '../../test-support/server-process.ts';
import { queryRows } from '../../test-support/rows.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const onPostgres = testDatabaseEngine() === 'postgres';
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** Ends the backends of this database that match `which`, from a connection of its own. */
async function terminate(which: 'idle' | 'all but this one', except?: number) {
  if (!onPostgres) return;
  await database.scriptTransaction(async (admin) => {
    const [own] = await admin.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> $1 AND pid <> $2 ${which === 'idle' ? "AND state = 'idle'" : ''}`,
      [own?.pid ?? 0, except ?? 0],
    );
  });
}

async function answers() {
  for (let i = 0; i < 5; i++) {
    const [row] = await queryRows<{ answer: number }>(database, sql`SELECT 41 + 1 AS answer`);
    expect(row?.answer).toBe(42);
  }
}

describe('a connection the database server ends', () => {
  it('idle in the pool: the process carries on, and the next query works', async () => {
    await Promise.all(Array.from({ length: 4 }, () => database.db.execute(sql`SELECT pg_sleep(0.05)`)));
    await terminate('idle');
    await settle();
    await answers();
  });

  it('a transaction whose work fails still rolls back and hands its connection back', async () => {
    await expect(
      database.scriptTransaction(async (connection) => {
        await connection.exec('SELECT 1');
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    await answers();
  });

  // PGlite runs in this process: no server can end its connection.
  if (!onPostgres) return;

  it('held by a transaction between its statements: the transaction fails, the process carries on', async () => {
    const transaction = database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1`);
      await terminate('all but this one');
      // Checked out, no query running: the client alone hears the connection end.
      await settle();
      await tx.execute(sql`SELECT 2`);
    });
    await expect(transaction).rejects.toThrow();
    await answers();
  });

  it('held by a transaction in the middle of a statement: it fails, the process carries on', async () => {
    const transaction = database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_sleep(5)`);
    });
    // Watched from the start: it may fail while terminate() is still waiting for its own answer,
    // and a failure nobody is waiting for yet is an unhandled rejection.
    const failed = expect(transaction).rejects.toThrow();
    await settle();
    await terminate('all but this one');
    await failed;
    await settle();
    await answers();
  });
});

const AUDIT_KEY = randomBytes(32).toString('base64');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The demo page's first staff sign-in form: its address, form token and cookie. */
async function demoSignInForm(url: string) {
  const response = await fetch(`${url}/demo`);
  expect(response.status).toBe(200);
  const html = await response.text();
  const action = /action="(\/demo\/sign-in\/staff\/[^"]+)"/.exec(html)?.[1];
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  if (!action || !token) throw new Error('no sign-in form on the demo page');
  return { action, token, cookie };
}

async function signIn(url: string): Promise<number> {
  const form = await demoSignInForm(url);
  const response = await fetch(`${url}${form.action}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie, origin: url },
    body: new URLSearchParams({ _csrf: form.token }).toString(),
  });
  return response.status;
}

// PGlite runs inside the server process: no database server can end its connection.
if (onPostgres) {
  describe('the server process when the database ends its connections', { timeout: 120_000 }, () => {
    let database: TestDatabase;
    let server: RunningServer | undefined;
    let admin: pg.Client | undefined;

    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => {
      await admin?.end();
      await server?.stop();
      await database.close();
    });

    it('starts on PostgreSQL and answers', async () => {
      server = await startServer({
        DATABASE_URL: database.url ?? '',
        AUDIT_KEY,
        DEMO_MODE: 'on',
        COOKIE_SECURE: 'off',
      });
      expect(await signIn(server.url)).toBe(303);
    });

    /** Ends the server's connections to its database (all of them, or those `where` picks). */
    async function terminate(where = 'true'): Promise<number> {
      const result = await admin?.query<{ ended: boolean }>(
        `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND ${where}`,
      );
      return result?.rowCount ?? 0;
    }

    it('survives every connection ended while idle, and the next requests work', async () => {
      admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      expect(await terminate()).toBeGreaterThan(0);
      await sleep(500);
      expect(server?.alive()).toBe(true);
      expect(await signIn(server?.url ?? '')).toBe(303);
    });

    it('survives a connection ended in the middle of a transaction, and the next requests work', async () => {
      const url = server?.url ?? '';
      for (let round = 0; round < 3; round++) {
        const form = await demoSignInForm(url);
        // A sign-in's transaction waits on the sessions table, its connection checked out.
        const blocker = new pg.Client({ connectionString: database.url });
        await blocker.connect();
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE user_sessions IN ACCESS EXCLUSIVE MODE');
        const blocked = fetch(`${url}${form.action}`, {
          method: 'POST',
          redirect: 'manual',
          headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: form.cookie, origin: url },
          body: new URLSearchParams({ _csrf: form.token }).toString(),
        });
        let waiting = 0;
        for (let i = 0; i < 100 && waiting === 0; i++) {
          await sleep(50);
          const rows = await admin?.query(
            `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          waiting = rows?.rowCount ?? 0;
        }
        expect(waiting).toBeGreaterThan(0);
        // Every connection of the server's: the waiting one, the idle ones, the job queue's.
        const blockerPid = (await blocker.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]
          ?.pid;
        await terminate(`pid <> ${String(blockerPid ?? 0)}`);
        await blocker.query('ROLLBACK');
        await blocker.end();
        const answer = await blocked;
        expect(answer.status).toBeGreaterThanOrEqual(500);
        await sleep(500);
        expect(server?.alive(), server?.output()).toBe(true);
        expect(await signIn(url)).toBe(303);
      }
    });
  });
}
