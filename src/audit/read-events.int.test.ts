/**
 * Reads audited in batches, against the real database: many pages read at once share a few
 * statements and the chain stays whole; a page is never sent before its read event is in the
 * log; and a server killed while a page waits for its event has sent nobody that page.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { queryRows } from '../test-support/rows.ts';
import {
  createTestDatabase,
  testDatabaseEngine,
  type TestDatabase,
} from '../platform/database/test-database.ts';
import { startServer, type RunningServer } from '../test-support/server-process.ts';

const onPostgres = testDatabaseEngine() === 'postgres';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** audit_append()'s lock on each of the 64 chains (migrations/2026-12-03-301-keyed-audit-chain.sql). */
const CHAIN_LOCKS = 'SELECT pg_advisory_lock(7318002, chain) FROM generate_series(0, 63) AS chain';

let t: TestApp;
let pat: TestClient;

beforeAll(async () => {
  t = await createTestApp();
  pat = await t.signedInAs(DEMO.workerPat);
});
afterAll(async () => {
  await t.close();
});

const viewed = async () =>
  Number(
    (
      await queryRows<{ n: string | number }>(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'caseload.viewed'`,
      )
    )[0]?.n,
  );

describe('reads audited in batches', () => {
  it('writes the read events of 40 caseloads opened at once in a few statements, each once, the chain whole', async () => {
    const before = await viewed();
    const sent = t.database.statementsSent();
    const pages = await Promise.all(Array.from({ length: 40 }, () => pat.get('/caseload')));
    expect(pages.map((page) => page.statusCode)).toEqual(Array.from({ length: 40 }, () => 200));
    expect(await viewed()).toBe(before + 40);
    // Each page: its sign-in session and its caseload (2 statements); the 40 read events share the rest.
    const statements = t.database.statementsSent() - sent;
    expect(statements - 2 * 40).toBeLessThan(40);
    expect(await t.deps.services.audit.verify(t.database.db)).toMatchObject({ ok: true });
  });
});

// PGlite has one connection, inside this process: nothing outside can hold the log's locks.
if (onPostgres) {
  describe('a page waiting for its read event', { timeout: 120_000 }, () => {
    it('is not sent until the event is in the log', async () => {
      const admin = new pg.Client({ connectionString: (t.database as TestDatabase).url });
      await admin.connect();
      try {
        const before = await viewed();
        await admin.query(CHAIN_LOCKS);
        let sentAt = 0;
        const page = pat.get('/caseload').then((response) => {
          sentAt = Date.now();
          return response;
        });
        await sleep(500);
        expect(sentAt).toBe(0);
        expect(await viewed()).toBe(before);
        const releasedAt = Date.now();
        await admin.query('SELECT pg_advisory_unlock_all()');
        const response = await page;
        expect(response.statusCode).toBe(200);
        expect(sentAt).toBeGreaterThanOrEqual(releasedAt);
        expect(await viewed()).toBe(before + 1);
      } finally {
        await admin.end();
      }
    });
  });

  describe('the server killed while a page waits for its read event', { timeout: 120_000 }, () => {
    let database: TestDatabase;
    let server: RunningServer | undefined;

    beforeAll(async () => {
      database = await createTestDatabase();
    });
    afterAll(async () => {
      await server?.stop();
      await database.close();
    });

    it('has sent nobody the page; started again, every page it sends has its event', async () => {
      const env = {
        DATABASE_URL: database.url ?? '',
        AUDIT_KEY: randomBytes(32).toString('base64'),
        DEMO_MODE: 'on',
        COOKIE_SECURE: 'off',
      };
      server = await startServer(env);
      const cookie = await coordinatorCookie(server.url);
      const admin = new pg.Client({ connectionString: database.url });
      await admin.connect();
      try {
        await admin.query(CHAIN_LOCKS);
        const page = fetch(`${server.url}/caseloads`, { headers: { cookie } }).then(
          async (response) => ({ status: response.status, body: await response.text() }),
          (error: unknown) => ({ status: 0, body: String(error) }),
        );
        // The read is decided and its event is waiting on the log's lock: the worst moment.
        await waitForLockWait(admin, page);
        server.child.kill('SIGKILL');
        const answer = await page;
        expect(answer.status).toBe(0);
        expect(answer.body).not.toContain('Caseloads');
      } finally {
        await admin.query('SELECT pg_advisory_unlock_all()');
        await admin.end();
      }
      server = await startServer(env);
      const again = await fetch(`${server.url}/caseloads`, {
        headers: { cookie: await coordinatorCookie(server.url) },
      });
      expect(again.status).toBe(200);
      expect(await again.text()).toContain('Caseloads');
      const [events] = await queryRows<{ n: string | number }>(
        database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'caseload.overview_viewed'`,
      );
      // The page sent after the restart has its event; the killed one may have reached the log
      // after the kill (its statement was with the database), but was never seen.
      expect(Number(events?.n)).toBeGreaterThanOrEqual(1);
    });
  });
}

/** Until one of the database's backends waits for a lock. */
async function waitForLockWait(
  admin: pg.Client,
  page: Promise<{ status: number; body: string }>,
): Promise<void> {
  let answered: { status: number; body: string } | undefined;
  void page.then((a) => (answered = a));
  for (let i = 0; i < 200; i++) {
    const waiting = await admin.query(
      `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    );
    if ((waiting.rowCount ?? 0) > 0) return;
    if (answered) throw new Error(`the page was sent without waiting (${String(answered.status)})`);
    await sleep(25);
  }
  throw new Error('no statement waited for the audit log');
}

/** Signs in as the demo coordinator over HTTP; returns the session cookie. */
async function coordinatorCookie(url: string): Promise<string> {
  const demo = await fetch(`${url}/demo`);
  const html = await demo.text();
  const formCookie = (demo.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  // The sign-in button in the coordinator's row, after their email.
  const action = /coordinator@demo\.greenleaf\.nhs\.uk[\s\S]*?action="(\/demo\/sign-in\/staff\/[^"]+)"/.exec(
    html,
  )?.[1];
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!action || !token) throw new Error('no sign-in form for the coordinator on the demo page');
  const signedIn = await fetch(`${url}${action}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: formCookie, origin: url },
    body: new URLSearchParams({ _csrf: token }).toString(),
  });
  expect(signedIn.status).toBe(303);
  const session = signedIn.headers
    .getSetCookie()
    .map((c) => c.split(';')[0] ?? '')
    .filter((c) => c.startsWith('__Host-greenleaf-session') || c.includes('session'));
  return [formCookie, ...session].join('; ');
}
