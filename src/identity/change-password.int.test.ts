/**
 * Changing your own password (/account/password): every staff account, with the current
 * password, the new one checked as at creation, guessing slowed as at sign-in, the person's
 * other devices signed out, audited, and the owner told by email.
 */
import { describe, expect, it } from 'vitest';
import { currentTotp } from './totp.ts';
import { DEMO, type TestClient } from '../test-support/test-app.ts';
import {
  accountsApp,
  auditedEvents,
  chooseNewPassword,
  createAccount,
  emailsTo,
  enrol,
  everyEmailTo,
  newStaffEmail,
  passwordStep,
  TEMPORARY_PASSWORD,
} from '../test-support/staff-accounts.ts';

const app = accountsApp();

const FIRST_PASSWORD = 'the first one I chose myself';
const SECOND_PASSWORD = 'and later a second of my own';

interface SignedInAccount {
  email: string;
  staffId: string;
  secret: string;
  client: TestClient;
}

/** A new account whose owner has signed in once: their own password and authenticator app. */
async function signedInAccount(): Promise<SignedInAccount> {
  const email = newStaffEmail();
  const staffId = await createAccount(app.coordinator, email);
  const client = app.t.client();
  await passwordStep(client, email, TEMPORARY_PASSWORD);
  await chooseNewPassword(client, FIRST_PASSWORD);
  const secret = await enrol(app.t, client);
  return { email, staffId, secret, client };
}

/** Signs the account in again on another device: password and a code from the next time step. */
async function signInAgain(account: SignedInAccount, password: string) {
  // A code works once: the next 30-second step gives a fresh one.
  app.t.clock.advance(30_000);
  const client = app.t.client();
  const step = await passwordStep(client, account.email, password);
  if (step.statusCode !== 303) return { client, step };
  await client.get('/sign-in/security-code');
  const done = await client.post('/sign-in/security-code', {
    code: currentTotp(account.secret, app.t.clock.now()),
  });
  return { client, step: done };
}

async function changePassword(client: TestClient, fields: Record<string, string>) {
  await client.get('/account/password');
  return client.post('/account/password', fields);
}

describe('changing your own password', () => {
  it('needs the current password, signs the person out on their other devices, audits it and emails them', async () => {
    const account = await signedInAccount();
    const { client: laptop } = await signInAgain(account, FIRST_PASSWORD);
    expect((await laptop.get('/home')).statusCode).toBe(200);

    const changed = await changePassword(account.client, {
      currentPassword: FIRST_PASSWORD,
      newPassword: SECOND_PASSWORD,
      confirmPassword: SECOND_PASSWORD,
    });
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe('/account/password?done=changed');
    const page = await account.client.get(changed.headers.location!);
    expect(page.body).toContain('Your password has been changed');

    // This device stays signed in; the other is signed out.
    expect((await account.client.get('/home')).statusCode).toBe(200);
    expect((await laptop.get('/home')).statusCode).toBe(303);
    expect((await signInAgain(account, FIRST_PASSWORD)).step.statusCode).toBe(400);
    expect((await signInAgain(account, SECOND_PASSWORD)).step.statusCode).toBe(303);

    const event = (await auditedEvents(app.t, account.staffId)).find(
      (e) => e.action === 'staff.password_changed' && e.detail.how === 'changed',
    );
    expect(event).toMatchObject({ actorId: account.staffId, detail: { sessionsEnded: 1 } });
    const emails = await emailsTo(app.t, account.email, 'staff_password_changed');
    expect(emails).toHaveLength(2);
    expect(emails[1]!.body).toContain('If this was not you, contact your programme coordinator');
    expect(await everyEmailTo(app.t, account.email)).not.toContain(SECOND_PASSWORD);
  });

  it('refuses a wrong current password, and slows guessing after 5 wrong tries', async () => {
    const account = await signedInAccount();
    for (let attempt = 1; attempt <= 5; attempt++) {
      const wrong = await changePassword(account.client, {
        currentPassword: `not my password ${attempt}`,
        newPassword: SECOND_PASSWORD,
        confirmPassword: SECOND_PASSWORD,
      });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.body).toContain('Your current password is not correct');
    }
    const blocked = await changePassword(account.client, {
      currentPassword: FIRST_PASSWORD,
      newPassword: SECOND_PASSWORD,
      confirmPassword: SECOND_PASSWORD,
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('Too many attempts');
    expect((await signInAgain(account, FIRST_PASSWORD)).step.statusCode).toBe(303);
    const failures = (await auditedEvents(app.t, account.staffId)).filter(
      (e) => e.action === 'staff.password_change_failed',
    );
    expect(failures).toHaveLength(5);
    expect(JSON.stringify(failures)).not.toContain('not my password');
  });

  it('checks the new password as at creation, different from the current one and typed the same twice', async () => {
    const account = await signedInAccount();
    const attempts: [Record<string, string>, string][] = [
      [{ newPassword: SECOND_PASSWORD, confirmPassword: SECOND_PASSWORD }, 'Enter your current password'],
      [
        { currentPassword: FIRST_PASSWORD, newPassword: 'too short', confirmPassword: 'too short' },
        'Password must be 12 characters or more',
      ],
      [
        { currentPassword: FIRST_PASSWORD, newPassword: 'password1234', confirmPassword: 'password1234' },
        'This password is too common',
      ],
      [
        { currentPassword: FIRST_PASSWORD, newPassword: FIRST_PASSWORD, confirmPassword: FIRST_PASSWORD },
        'Choose a password that is different from your current password',
      ],
      [
        { currentPassword: FIRST_PASSWORD, newPassword: SECOND_PASSWORD, confirmPassword: 'something else' },
        'The passwords do not match',
      ],
    ];
    for (const [fields, message] of attempts) {
      const response = await changePassword(account.client, fields);
      expect(response.statusCode, message).toBe(400);
      expect(response.body).toContain(message);
    }
    // Nothing was changed by any of them.
    expect((await signInAgain(account, FIRST_PASSWORD)).step.statusCode).toBe(303);
  });

  it('is offered to every staff account from the header', async () => {
    for (const email of [DEMO.trialManager, DEMO.workerPat, DEMO.coordinator]) {
      const client = await app.t.signedInAs(email);
      const home = await client.get('/home');
      expect(home.body).toContain('href="/account/password"');
      expect((await client.get('/account/password')).statusCode).toBe(200);
    }
  });

  it('changes nothing for a form sent after signing out', async () => {
    const account = await signedInAccount();
    await account.client.get('/account/password');
    await account.client.post('/sign-out', {});
    await account.client.get('/sign-in');
    const late = await account.client.post('/account/password', {
      currentPassword: FIRST_PASSWORD,
      newPassword: SECOND_PASSWORD,
      confirmPassword: SECOND_PASSWORD,
    });
    expect(late.statusCode).toBe(401);
    expect((await signInAgain(account, FIRST_PASSWORD)).step.statusCode).toBe(303);
  });
});
