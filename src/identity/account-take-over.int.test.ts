/**
 * The account take-over from the security review, end to end through the app: a coordinator
 * who created an account (and so knew its temporary password) resets its authenticator app,
 * then tries to sign in as that person and enrol her own app. She must never get in, and at no
 * step may she hold a working credential for the account.
 */
import { describe, expect, it } from 'vitest';
import {
  accountsApp,
  chooseNewPassword,
  createAccount,
  emailsTo,
  enrol,
  newStaffEmail,
  passwordStep,
  TEMPORARY_PASSWORD,
} from '../test-support/staff-accounts.ts';

const app = accountsApp();

const OWNERS_PASSWORD = 'only the owner knows this one';

/** The owner's first sign-in, doing whatever the service asks: a new password, then an app. */
async function ownersFirstSignIn(email: string): Promise<void> {
  const owner = app.t.client('198.51.100.20');
  let step = await passwordStep(owner, email, TEMPORARY_PASSWORD);
  expect(step.statusCode).toBe(303);
  if (step.headers.location === '/sign-in/new-password') {
    step = await chooseNewPassword(owner, OWNERS_PASSWORD);
    expect(step.statusCode).toBe(303);
  }
  expect(step.headers.location).toBe('/sign-in/set-up-authenticator');
  await enrol(app.t, owner);
  expect((await owner.get('/home')).statusCode).toBe(200);
}

describe('taking over a colleague’s account', () => {
  it('a coordinator who created an account and reset its authenticator cannot sign in with the temporary password', async () => {
    const email = newStaffEmail();
    const staffId = await createAccount(app.coordinator, email);
    await ownersFirstSignIn(email);

    // The coordinator resets the authenticator app, as for a lost phone.
    await app.coordinator.get(`/admin/staff/${staffId}`);
    const reset = await app.coordinator.post(`/admin/staff/${staffId}/reset-mfa`, {});
    expect(reset.statusCode).toBe(303);

    // …and tries the temporary password she chose when she created the account.
    const attacker = app.t.client('203.0.113.9');
    const attempt = await passwordStep(attacker, email, TEMPORARY_PASSWORD);
    expect(attempt.statusCode).toBe(400);
    expect(attempt.body).toContain('Enter a correct email address and password');
    expect((await attacker.get('/sign-in/set-up-authenticator')).statusCode).toBe(303);
    expect((await attacker.get('/home')).statusCode).toBe(303);
  });

  it('the coordinator who resets an authenticator never sees a working credential; only the owner is sent the link', async () => {
    const email = newStaffEmail();
    const staffId = await createAccount(app.coordinator, email);
    await ownersFirstSignIn(email);

    await app.coordinator.get(`/admin/staff/${staffId}`);
    const reset = await app.coordinator.post(`/admin/staff/${staffId}/reset-mfa`, {});
    const page = await app.coordinator.get(reset.headers.location!);
    expect(page.statusCode).toBe(200);

    const [link] = await emailsTo(app.t, email, 'staff_set_up_link');
    const token = /\/account\/set-up\/([\w-]{43})$/.exec(link?.set_up_link ?? '')?.[1];
    expect(token).toBeDefined();
    expect(reset.body + page.body).not.toContain(token);
    // Neither the old temporary password nor the owner's own one works any more.
    for (const password of [TEMPORARY_PASSWORD, OWNERS_PASSWORD]) {
      expect((await passwordStep(app.t.client('203.0.113.10'), email, password)).statusCode).toBe(400);
    }
  });
});
