/**
 * The database unavailable: a host that accepts connections and never answers, a statement
 * that runs too long, a transaction left open. Requests get a calm 503 page with the crisis
 * numbers within seconds (never a 70-second hang), `/healthz` stays alive and `/readyz` says
 * the instance is not ready.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { createApp } from '../../app.ts';
import { buildDependencies } from '../../composition-root.ts';
import { loadConfig } from '../../config.ts';
import { TEST_AUDIT_KEY } from '../../test-support/audit-key.ts';
import { ManualJobQueue } from '../../test-support/manual-job-queue.ts';
import { createTestApp, type TestApp } from '../../test-support/test-app.ts';
import { openPostgresDatabase, type Database } from './database.ts';
import { createTestDatabase, testDatabaseEngine, type TestDatabase } from './test-database.ts';
import { isDatabaseUnavailable } from './unavailable.ts';
import { queryRows } from '../../test-support/rows.ts';
import { SILENT_LOG } from '../../test-support/silent-log.ts';

const TIMEOUTS = { connectSeconds: 1, statementSeconds: 1, idleInTransactionSeconds: 1 };

describe('a database host that has gone silent', () => {
  let silent: net.Server;
  const sockets: net.Socket[] = [];
  let database: Database;
  let app: FastifyInstance;

  beforeAll(async () => {
    // Accepts every connection and never says a word, as a host behind a dead link does.
    silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as net.AddressInfo;
    database = openPostgresDatabase(`postgres://greenleaf@127.0.0.1:${String(port)}/greenleaf`, 2, TIMEOUTS);
    const config = loadConfig({ NODE_ENV: 'test', DEMO_MODE: 'on', COOKIE_SECURE: 'off' });
    const jobs = new ManualJobQueue();
    await jobs.start([]);
    app = await createApp(
      buildDependencies(config, database, { auditKey: TEST_AUDIT_KEY, logger: SILENT_LOG, jobQueue: jobs }),
    );
  });
  afterAll(async () => {
    await app.close();
    for (const socket of sockets) socket.destroy();
    await database.close();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('answers a page within seconds with 503, Retry-After and the crisis numbers', async () => {
    const started = Date.now();
    const response = await app.inject({ method: 'GET', url: '/demo' });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.body).toContain('Sorry, the service is not working right now');
    expect(response.body).toContain('tel:999');
    expect(response.body).toContain('tel:111');
    expect(response.body).toContain('116 123');
  });

  it('answers a signed-in script asking for JSON with 503 too', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/help',
      // A signed-in autosave: the session is looked up first.
      headers: { accept: 'application/json', cookie: 'greenleaf-session=someone-signed-in' },
    });
    expect(response.statusCode).toBe(503);
  });

  it('is alive on /healthz, and not ready on /readyz', async () => {
    const alive = await app.inject({ method: 'GET', url: '/healthz' });
    expect(alive.statusCode).toBe(200);
    const started = Date.now();
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'not_ready', database: 'not answering' });
  });
});

describe('readiness of a working instance', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is ready while the database answers and the job queue runs, and not once the queue stops', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', database: 'ok', jobQueue: 'ok' });
    await t.jobs.stop();
    const stopped = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(stopped.statusCode).toBe(503);
    expect(stopped.json()).toMatchObject({ status: 'not_ready', jobQueue: 'not running' });
  });
});

// PGlite runs in this process and has no server-side timeouts to set.
if (testDatabaseEngine() === 'postgres') {
  describe('a statement or transaction that runs too long on PostgreSQL', () => {
    let template: TestDatabase;
    let database: Database;
    beforeAll(async () => {
      template = await createTestDatabase();
      database = openPostgresDatabase(template.url ?? '', 2, TIMEOUTS);
    });
    afterAll(async () => {
      await database.close();
      await template.close();
    });

    it('ends a statement past the statement timeout, as "unavailable"', async () => {
      const started = Date.now();
      const error: unknown = await database.db.execute(sql`SELECT pg_sleep(5)`).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(isDatabaseUnavailable(error)).toBe(true);
    });

    it('ends a transaction left idle past its timeout', async () => {
      const transaction = database.db.transaction(async (tx) => {
        await tx.execute(sql`SELECT 1`);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        await tx.execute(sql`SELECT 2`);
      });
      const error: unknown = await transaction.catch((e: unknown) => e);
      expect(isDatabaseUnavailable(error)).toBe(true);
      const [row] = await queryRows<{ answer: number }>(database, sql`SELECT 42 AS answer`);
      expect(row?.answer).toBe(42);
    });
  });
}
