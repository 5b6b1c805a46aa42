import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { count, queryRows } from '../test-support/rows.ts';
import { shownSecret } from '../test-support/staff-accounts.ts';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { DEMO_PASSWORD } from '../demo/seed.ts';
import { currentTotp } from './totp.ts';
import { MINUTE } from '../platform/clock.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const SESSION = 'greenleaf-session';

async function passwordStep(client: TestClient, email: string, password = DEMO_PASSWORD, ip?: string) {
  await client.get('/sign-in');
  return client.post('/sign-in', { email, password }, ip ? { ip } : {});
}

/** Signs in for real: password, then enrolment or a code. Returns the client and the secret. */
async function signIn(email: string): Promise<{ client: TestClient; secret: string }> {
  const client = t.client();
  const step = await passwordStep(client, email);
  expect(step.statusCode).toBe(303);
  const enrol = await client.get(step.headers.location!);
  const secret = /class="app-code">([A-Z2-7 ]+)</.exec(enrol.body)![1]!.replace(/ /g, '');
  const done = await client.post('/sign-in/set-up-authenticator', {
    code: currentTotp(secret, t.clock.now()),
  });
  expect(done.statusCode).toBe(303);
  return { client, secret };
}

const auditActions = async (action: string) =>
  await count(t.database, sql`SELECT count(*)::int AS n FROM audit_events WHERE action = ${action}`);

describe('staff sign-in', () => {
  it('enrols an authenticator at first sign-in, then signs in with a new session id', async () => {
    const client = t.client();
    const step = await passwordStep(client, DEMO.supervisorNorth);
    expect(step.headers.location).toBe('/sign-in/set-up-authenticator');
    const pendingCookie = client.cookies.get(SESSION);
    // Half signed in is not signed in.
    expect((await client.get('/caseloads')).statusCode).toBe(303);
    const enrol = await client.get('/sign-in/set-up-authenticator');
    expect(enrol.body).toContain('<svg');
    const secret = /class="app-code">([A-Z2-7 ]+)</.exec(enrol.body)![1]!.replace(/ /g, '');
    const done = await client.post('/sign-in/set-up-authenticator', {
      code: currentTotp(secret, t.clock.now()),
    });
    expect(done.statusCode).toBe(303);
    expect(client.cookies.get(SESSION)).not.toBe(pendingCookie);
    expect((await client.get('/caseloads')).statusCode).toBe(200);
    expect(await auditActions('staff.mfa_enrolled')).toBeGreaterThan(0);
  });

  it('asks an enrolled person for a code, and a code works only once', async () => {
    const { secret } = await signIn(DEMO.supervisorSouth);
    t.clock.advance(MINUTE);
    const client = t.client();
    const step = await passwordStep(client, DEMO.supervisorSouth);
    expect(step.headers.location).toBe('/sign-in/security-code');
    const code = currentTotp(secret, t.clock.now());
    await client.get('/sign-in/security-code');
    expect((await client.post('/sign-in/security-code', { code })).statusCode).toBe(303);

    const replay = t.client();
    await passwordStep(replay, DEMO.supervisorSouth);
    await replay.get('/sign-in/security-code');
    const again = await replay.post('/sign-in/security-code', { code });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('The security code is not correct');
  });

  it('gives the same message for an unknown email and a wrong password', async () => {
    const unknown = await passwordStep(t.client(), 'nobody@demo.greenleaf.nhs.uk', 'whatever-password');
    const wrong = await passwordStep(t.client(), DEMO.clinicianSouth, 'not-the-password');
    for (const response of [unknown, wrong]) {
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain('Enter a correct email address and password');
      expect(response.body).toContain('href="#email"');
    }
  });

  it('slows repeated guessing from one address without locking the person out elsewhere', async () => {
    const attacker = t.client();
    const email = DEMO.clinicianNorth;
    const outcomes: number[] = [];
    for (let i = 0; i < 7; i++)
      outcomes.push((await passwordStep(attacker, email, `guess-${i}-password`, '203.0.113.50')).statusCode);
    expect(outcomes.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
    expect(outcomes[6]).toBe(429);
    const blocked = await passwordStep(attacker, email, DEMO_PASSWORD, '203.0.113.50');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('Too many attempts');
    // The real person, elsewhere, still gets in.
    const real = await passwordStep(t.client(), email, DEMO_PASSWORD, '198.51.100.7');
    expect(real.statusCode).toBe(303);
    // And the attacker's wait runs out.
    t.clock.advance(16 * MINUTE);
    expect((await passwordStep(attacker, email, DEMO_PASSWORD, '203.0.113.50')).statusCode).toBe(303);
  });

  it('ends the session at sign-out: the old cookie no longer works', async () => {
    const { client } = await signIn(DEMO.trialManager);
    const cookie = client.cookies.get(SESSION)!;
    await client.get('/home');
    expect((await client.post('/sign-out', {})).statusCode).toBe(303);
    const reused = await t.app.inject({ method: 'GET', url: '/home', cookies: { [SESSION]: cookie } });
    expect(reused.statusCode).toBe(303);
    expect(reused.headers.location).toContain('/sign-in');
  });

  it('signs out after 30 minutes idle, and after 12 hours whatever happens', async () => {
    const { client } = await signIn(DEMO.analyst);
    t.clock.advance(29 * MINUTE);
    expect((await client.get('/home')).statusCode).toBe(200);
    t.clock.advance(29 * MINUTE);
    expect((await client.get('/home')).statusCode).toBe(200);
    t.clock.advance(31 * MINUTE);
    expect((await client.get('/home')).statusCode).toBe(303);

    t.clock.advance(MINUTE);
    const { client: busy } = await signIn(DEMO.assessor);
    for (let minutes = 0; minutes < 12 * 60; minutes += 20) {
      t.clock.advance(20 * MINUTE);
      const status = (await busy.get('/home')).statusCode;
      if (minutes + 20 < 12 * 60) expect(status).toBe(200);
      else expect(status).toBe(303);
    }
  });

  it('"Stay signed in" resets the idle timer', async () => {
    t.clock.advance(MINUTE);
    const { client } = await signIn(DEMO.workerNat);
    await client.get('/home');
    t.clock.advance(25 * MINUTE);
    const extended = await client.post('/session/extend', {}, { headers: { accept: 'application/json' } });
    expect(extended.json()).toEqual({ signedIn: true });
    t.clock.advance(25 * MINUTE);
    expect((await client.get('/home')).statusCode).toBe(200);
  });

  it('refuses a disabled account even with the right password', async () => {
    await t.database.db.execute(
      sql`UPDATE staff_users SET disabled_at = now() WHERE email = ${DEMO.workerRob}`,
    );
    const response = await passwordStep(t.client(), DEMO.workerRob);
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter a correct email address and password');
  });
});

describe('setting up an authenticator app', () => {
  const storedSecret = async (email: string) =>
    (
      await queryRows<{ secret: string | null }>(
        t.database,
        sql`SELECT totp_secret AS secret FROM staff_users WHERE email = ${email}`,
      )
    )[0]!.secret;

  it('shows each sign-in attempt its own secret, the same on every visit, and keeps none on the account', async () => {
    const first = t.client('198.51.100.61');
    const second = t.client('198.51.100.62');
    await passwordStep(first, DEMO.coordinator);
    await passwordStep(second, DEMO.coordinator);

    const firstSecret = await shownSecret(first);
    const secondSecret = await shownSecret(second);
    expect(secondSecret).not.toBe(firstSecret);
    // Reloading the page (or coming back from the app) shows the same one again.
    expect(await shownSecret(first)).toBe(firstSecret);
    // A third attempt, after both, is not shown either of them.
    const third = t.client('198.51.100.63');
    await passwordStep(third, DEMO.coordinator);
    expect([firstSecret, secondSecret]).not.toContain(await shownSecret(third));
    expect(await storedSecret(DEMO.coordinator)).toBeNull();
  });

  it('stores a secret on the account only once a code from it is confirmed, and only that attempt’s', async () => {
    const mine = t.client('198.51.100.64');
    const theirs = t.client('198.51.100.65');
    await passwordStep(mine, DEMO.workerPat);
    await passwordStep(theirs, DEMO.workerPat);
    const mySecret = await shownSecret(mine);
    const theirSecret = await shownSecret(theirs);

    // A code from another attempt's secret does not enrol this one.
    const crossed = await theirs.post('/sign-in/set-up-authenticator', {
      code: currentTotp(mySecret, t.clock.now()),
    });
    expect(crossed.statusCode).toBe(400);
    expect(await storedSecret(DEMO.workerPat)).toBeNull();

    const done = await mine.post('/sign-in/set-up-authenticator', {
      code: currentTotp(mySecret, t.clock.now()),
    });
    expect(done.statusCode).toBe(303);
    expect(await storedSecret(DEMO.workerPat)).toBe(mySecret);
    // The finished attempt's copy is gone: the secret is kept in one place only.
    expect(
      await count(
        t.database,
        sql`SELECT count(*)::int AS n FROM user_sessions WHERE pending_totp_secret = ${mySecret}`,
      ),
    ).toBe(0);

    // The other attempt can no longer enrol its own secret over the one now in use.
    t.clock.advance(30_000);
    const late = await theirs.post('/sign-in/set-up-authenticator', {
      code: currentTotp(theirSecret, t.clock.now()),
    });
    expect(late.headers.location).not.toBe('/');
    expect((await theirs.get('/home')).statusCode).toBe(303);
    expect(await storedSecret(DEMO.workerPat)).toBe(mySecret);
  });
});
