/**
 * A new account's temporary password, set by the coordinator who created it: it works once,
 * only to choose the owner's own password before anything else, and not at all once it has been
 * left unused for TEMPORARY_PASSWORD_HOURS (72 by default).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../platform/clock.ts';
import { verifyPassword } from './password.ts';
import { currentTotp } from './totp.ts';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import {
  auditedEvents,
  chooseNewPassword,
  createAccount,
  emailsTo,
  enrol,
  everyEmailTo,
  newStaffEmail,
  passwordStep,
  shownSecret,
  TEMPORARY_PASSWORD,
} from '../test-support/staff-accounts.ts';
import { queryRows } from '../test-support/rows.ts';
import { sql } from 'drizzle-orm';

let t: TestApp;
let coordinator: TestClient;

beforeAll(async () => {
  t = await createTestApp();
});
// Afresh for each test: one of them moves the clock on by days.
beforeEach(async () => {
  coordinator = await t.signedInAs(DEMO.coordinator);
});
afterAll(async () => {
  await t.close();
});

const NEW_PASSWORD = 'a password of my own choosing';

const passwordHash = async (staffId: string) =>
  (
    await queryRows<{ hash: string | null }>(
      t.database,
      sql`SELECT password_hash AS hash FROM staff_users WHERE id = ${staffId}`,
    )
  )[0]!.hash;

describe('a temporary password', () => {
  it('makes the person choose a new password at the first sign-in, before the authenticator app', async () => {
    const email = newStaffEmail();
    const staffId = await createAccount(coordinator, email);
    const owner = t.client();

    const step = await passwordStep(owner, email, TEMPORARY_PASSWORD);
    expect(step.statusCode).toBe(303);
    expect(step.headers.location).toBe('/sign-in/new-password');
    // Neither the app's set-up nor any page is open until the password is changed.
    expect((await owner.get('/sign-in/set-up-authenticator')).headers.location).toBe('/sign-in/new-password');
    expect((await owner.get('/home')).statusCode).toBe(303);
    const page = await owner.get('/sign-in/new-password');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Choose a new password');

    const chosen = await chooseNewPassword(owner, NEW_PASSWORD);
    expect(chosen.statusCode).toBe(303);
    expect(chosen.headers.location).toBe('/sign-in/set-up-authenticator');
    await enrol(t, owner);
    expect((await owner.get('/home')).statusCode).toBe(200);

    expect(await verifyPassword((await passwordHash(staffId))!, NEW_PASSWORD)).toBe(true);
    const events = await auditedEvents(t, staffId);
    expect(events.map((event) => event.action)).toEqual([
      'staff.created',
      'staff.password_changed',
      'staff.mfa_enrolled',
      'staff.signed_in',
    ]);
    expect(events[1]).toMatchObject({ actorId: staffId, detail: { how: 'temporary password replaced' } });
    expect(JSON.stringify(events)).not.toContain(NEW_PASSWORD);
  });

  it('works only once: after the new password is chosen it no longer signs in', async () => {
    const email = newStaffEmail();
    await createAccount(coordinator, email);
    const owner = t.client();
    await passwordStep(owner, email, TEMPORARY_PASSWORD);
    await chooseNewPassword(owner, NEW_PASSWORD);

    const again = await passwordStep(t.client(), email, TEMPORARY_PASSWORD);
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('Enter a correct email address and password');
    expect((await passwordStep(t.client(), email, NEW_PASSWORD)).headers.location).toBe(
      '/sign-in/set-up-authenticator',
    );
  });

  it('ends any other half-finished sign-in with it once the new password is chosen', async () => {
    const email = newStaffEmail();
    await createAccount(coordinator, email);
    const someoneElse = t.client('203.0.113.30');
    await passwordStep(someoneElse, email, TEMPORARY_PASSWORD);
    const owner = t.client('198.51.100.30');
    await passwordStep(owner, email, TEMPORARY_PASSWORD);
    await chooseNewPassword(owner, NEW_PASSWORD);

    // The other attempt cannot go on to set up its own app, nor choose a password of its own.
    expect((await someoneElse.get('/sign-in/set-up-authenticator')).statusCode).toBe(303);
    expect((await someoneElse.get('/sign-in/set-up-authenticator')).headers.location).toBe('/sign-in');
    await someoneElse.get('/sign-in');
    const stolen = await someoneElse.post('/sign-in/new-password', {
      newPassword: 'the other person chose this',
      confirmPassword: 'the other person chose this',
    });
    expect(stolen.headers.location).toBe('/sign-in');
  });

  it('cannot be used to skip choosing a new password by sending a code straight to the app set-up', async () => {
    const email = newStaffEmail();
    const staffId = await createAccount(coordinator, email);
    const owner = t.client();
    await passwordStep(owner, email, TEMPORARY_PASSWORD);
    await owner.get('/sign-in/new-password');
    const skipped = await owner.post('/sign-in/set-up-authenticator', { code: '123456' });
    expect(skipped.statusCode).toBe(303);
    expect(skipped.headers.location).toBe('/sign-in/new-password');
    const rows = await queryRows<{ secret: string | null }>(
      t.database,
      sql`SELECT totp_secret AS secret FROM staff_users WHERE id = ${staffId}`,
    );
    expect(rows[0]!.secret).toBeNull();
  });

  it('does not sign in once it has been unused for 72 hours, and says to ask for a set-up link', async () => {
    const inTime = newStaffEmail();
    const late = newStaffEmail();
    await createAccount(coordinator, inTime);
    const lateId = await createAccount(coordinator, late);

    t.clock.advance(72 * HOUR - MINUTE);
    expect((await passwordStep(t.client(), inTime, TEMPORARY_PASSWORD)).headers.location).toBe(
      '/sign-in/new-password',
    );
    t.clock.advance(2 * MINUTE);
    const refused = await passwordStep(t.client(), late, TEMPORARY_PASSWORD);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(
      'Your temporary password has expired. Ask your programme coordinator to send you a set-up link',
    );
    expect((await auditedEvents(t, lateId)).at(-1)).toMatchObject({
      action: 'staff.sign_in_failed',
      detail: { reason: 'temporary password expired' },
    });
    // A wrong password still gets the one message that reveals nothing.
    const wrong = await passwordStep(t.client(), late, 'not the temporary password');
    expect(wrong.body).toContain('Enter a correct email address and password');
    expect(wrong.body).not.toContain('expired');
  });

  it('refuses a new password that is short, common, the temporary one again, or not typed the same twice', async () => {
    const email = newStaffEmail();
    await createAccount(coordinator, email);
    const owner = t.client();
    await passwordStep(owner, email, TEMPORARY_PASSWORD);
    await owner.get('/sign-in/new-password');
    const attempts: [Record<string, string>, string][] = [
      [{ newPassword: 'short', confirmPassword: 'short' }, 'Password must be 12 characters or more'],
      [{ newPassword: 'password1234', confirmPassword: 'password1234' }, 'This password is too common'],
      [
        { newPassword: TEMPORARY_PASSWORD, confirmPassword: TEMPORARY_PASSWORD },
        'Choose a password that is different from your temporary password',
      ],
      [{ newPassword: NEW_PASSWORD, confirmPassword: `${NEW_PASSWORD}!` }, 'The passwords do not match'],
      [{}, 'Enter a new password'],
    ];
    for (const [fields, message] of attempts) {
      const response = await owner.post('/sign-in/new-password', fields);
      expect(response.statusCode, message).toBe(400);
      expect(response.body).toContain(message);
      expect(response.body).toContain('There is a problem');
    }
    // Still at this step: the set-up page waits for a new password.
    expect((await owner.get('/sign-in/set-up-authenticator')).headers.location).toBe('/sign-in/new-password');
  });

  it('emails the owner when their account is created, without the password', async () => {
    const email = newStaffEmail();
    await createAccount(coordinator, email);
    const [notice] = await emailsTo(t, email, 'staff_account_created');
    expect(notice).toBeDefined();
    expect(notice!.body).toContain('temporary password');
    expect(notice!.body).toContain('contact your programme coordinator');
    expect(await everyEmailTo(t, email)).not.toContain(TEMPORARY_PASSWORD);
  });

  it('tells the owner by email when the new password is chosen, and when an app is set up', async () => {
    const email = newStaffEmail();
    await createAccount(coordinator, email);
    const owner = t.client();
    await passwordStep(owner, email, TEMPORARY_PASSWORD);
    await chooseNewPassword(owner, NEW_PASSWORD);
    const secret = await shownSecret(owner);
    await owner.post('/sign-in/set-up-authenticator', { code: currentTotp(secret, t.clock.now()) });

    expect(await emailsTo(t, email, 'staff_password_changed')).toHaveLength(1);
    expect(await emailsTo(t, email, 'staff_authenticator_set_up')).toHaveLength(1);
    const everything = await everyEmailTo(t, email);
    expect(everything).not.toContain(NEW_PASSWORD);
    expect(everything).not.toContain(secret);
  });
});
