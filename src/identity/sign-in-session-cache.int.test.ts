/**
 * Sessions served from memory (sign-in-session-cache.ts), on both engines: a kept session costs
 * a page no statement, and nothing that ends it or changes what it stands for is missed: a
 * sign-out, a change made outside this instance (straight in the database, as another instance
 * or a script would), an account disabled, roles taken away, a caseload changed by someone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp } from '../test-support/test-app.ts';
import { SESSION_COOKIE_PLAIN as SESSION } from '../app.ts';
import { aParticipant } from '../test-support/factories.ts';
import type { SignInSessionCache } from './sign-in-session-cache.ts';
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

/**
 * Runs a change outside the app, as another instance would, and returns once this instance has
 * heard of it. On the embedded database it has heard before the statement returns; on
 * PostgreSQL the notification follows the COMMIT on the listening connection.
 */
async function changedElsewhere(statement: ReturnType<typeof sql>): Promise<void> {
  const heard = cache.nextHeard();
  const before = cache.generation;
  await t.database.db.execute(statement);
  if (t.database.engine === 'embedded') expect(cache.generation).toBeGreaterThan(before);
  await heard;
}

describe('a session kept in memory', () => {
  it('costs a page that reads nothing else no statement at all once kept', async () => {
    const client = await t.signedInAs(DEMO.supervisorNorth);
    const first = await statementsFor(t, client, '/accessibility');
    const again = await statementsFor(t, client, '/accessibility');
    expect(first.status).toBe(200);
    expect(again).toEqual({ status: 200, sent: 0 });
  });

  it('is ended at sign-out: the old cookie no longer works, straight away', async () => {
    const client = await t.signedInAs(DEMO.analyst);
    const cookie = client.cookies.get(SESSION)!;
    expect((await client.get('/accessibility')).statusCode).toBe(200);
    expect((await client.post('/sign-out', {})).statusCode).toBe(303);
    const reused = await t.app.inject({ method: 'GET', url: '/home', cookies: { [SESSION]: cookie } });
    expect(reused.statusCode).toBe(303);
    expect(reused.headers.location).toContain('/sign-in');
  });

  it('is forgotten when it is ended elsewhere (another instance, or a script)', async () => {
    const client = await t.signedInAs(DEMO.assessor);
    expect((await client.get('/home')).statusCode).toBe(200);
    expect((await statementsFor(t, client, '/accessibility')).sent).toBe(0);
    const staffId = await t.staffId(DEMO.assessor);
    await changedElsewhere(
      sql`UPDATE user_sessions SET ended_at = now() WHERE subject_id = ${staffId} AND ended_at IS NULL`,
    );
    const after = await client.get('/home');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toContain('/sign-in');
  });

  it('is refused once the account is disabled elsewhere', async () => {
    const client = await t.signedInAs(DEMO.trialManager);
    expect((await client.get('/home')).statusCode).toBe(200);
    await changedElsewhere(
      sql`UPDATE staff_users SET disabled_at = now() WHERE email = ${DEMO.trialManager}`,
    );
    const after = await client.get('/home');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toContain('/sign-in');
  });

  it('carries roles taken away elsewhere into the very next page', async () => {
    const client = await t.signedInAs(DEMO.coordinator);
    expect((await client.get('/allocation')).statusCode).toBe(200);
    await changedElsewhere(
      sql`UPDATE staff_users SET roles = ARRAY['supervisor'] WHERE email = ${DEMO.coordinator}`,
    );
    expect((await client.get('/allocation')).statusCode).toBe(404);
    await t.database.db.execute(
      sql`UPDATE staff_users SET roles = ARRAY['coordinator'] WHERE email = ${DEMO.coordinator}`,
    );
  });

  it('carries a caseload changed by someone else into the worker’s next page', async () => {
    const participant = await aParticipant(t, { worker: DEMO.workerRob });
    const worker = await t.signedInAs(DEMO.workerRob);
    const before = await worker.get('/caseload');
    expect(before.statusCode).toBe(200);
    expect((await statementsFor(t, worker, '/accessibility')).sent).toBe(0);
    const renamed = `Renamed${String(Date.now() % 100000)}`;
    await changedElsewhere(sql`UPDATE participants SET given_name = ${renamed} WHERE id = ${participant.id}`);
    const after = await worker.get('/caseload');
    expect(after.body).toContain(renamed);
  });
});
