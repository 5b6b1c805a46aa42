/**
 * PostgreSQL only (the embedded database's listener is PGlite itself and cannot drop): when the
 * connection that hears sign-in changes is cut, sessions stop being served from memory at once
 * (a change made while nobody listens is still seen on the next page), and once it listens
 * again, they are kept again. The embedded run leaves this file out (vitest.config.ts).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import type { SignInSessionCache } from './sign-in-session-cache.ts';
import { LISTENER_NAME } from '../platform/database/database.ts';
import { keptSessions, statementsFor } from '../test-support/kept-sessions.ts';

let t: TestApp;
let cache: SignInSessionCache;

beforeAll(async () => {
  t = await createTestApp();
  cache = keptSessions(t);
});
afterAll(async () => {
  await t.close();
});

/** Statements a page that reads nothing else sends: its session lookup, or none when kept. */
async function sentFor(client: TestClient, url: string): Promise<number> {
  const { status, sent } = await statementsFor(t, client, url);
  expect(status).toBe(200);
  return sent;
}

it('reads every session from the database while it cannot hear changes, and keeps them again once it can', async () => {
  const client = await t.signedInAs(DEMO.supervisorSouth);
  await sentFor(client, '/accessibility');
  expect(await sentFor(client, '/accessibility')).toBe(0);

  // Only this test database's listener: other test files run beside this one.
  const deaf = cache.nextHeard();
  await t.database.db.execute(
    sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = ${LISTENER_NAME}`,
  );
  await deaf;
  expect(cache.active).toBe(false);
  expect(await sentFor(client, '/accessibility')).toBe(1);
  expect(await sentFor(client, '/accessibility')).toBe(1);

  // A change nobody hears announced is still seen by the next page.
  const other = await t.signedInAs(DEMO.trialManager);
  await t.database.db.execute(
    sql`UPDATE staff_users SET disabled_at = now() WHERE email = ${DEMO.trialManager}`,
  );
  const refused = await other.get('/home');
  expect(refused.statusCode).toBe(303);
  expect(refused.headers.location).toContain('/sign-in');

  // It listens again on its own (a second later), and sessions are kept again.
  while (!cache.active) await cache.nextHeard();
  await sentFor(client, '/accessibility');
  expect(await sentFor(client, '/accessibility')).toBe(0);
});
