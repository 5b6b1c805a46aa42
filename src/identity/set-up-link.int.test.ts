/**
 * One-time set-up links (/account/set-up/<token>): what a coordinator sends instead of a
 * password when they reset someone's authenticator app, or when someone has forgotten theirs.
 * The link goes only to the owner's email; it works once, for TEMPORARY_PASSWORD_HOURS, and
 * only its hash is kept.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { HOUR, MINUTE } from '../platform/clock.ts';
import { currentTotp } from './totp.ts';
import { queryRows } from '../test-support/rows.ts';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import {
  auditedEvents,
  chooseNewPassword,
  createAccount,
  emailsTo,
  enrol,
  newStaffEmail,
  passwordStep,
  shownSecret,
  TEMPORARY_PASSWORD,
} from '../test-support/staff-accounts.ts';

let t: TestApp;
let coordinator: TestClient;
let coordinatorId: string;

beforeAll(async () => {
  t = await createTestApp();
  coordinatorId = await t.staffId(DEMO.coordinator);
});
// Afresh for each test: some move the clock on by days.
beforeEach(async () => {
  coordinator = await t.signedInAs(DEMO.coordinator);
});
afterAll(async () => {
  await t.close();
});

const OWN_PASSWORD = 'the password I chose first';
const NEW_PASSWORD = 'chosen again after the reset';
const EXPIRED_PAGE = 'This link has expired or has already been used';

interface Account {
  email: string;
  staffId: string;
  secret: string;
  client: TestClient;
}

async function signedInAccount(): Promise<Account> {
  const email = newStaffEmail();
  const staffId = await createAccount(coordinator, email);
  const client = t.client();
  await passwordStep(client, email, TEMPORARY_PASSWORD);
  await chooseNewPassword(client, OWN_PASSWORD);
  const secret = await enrol(t, client);
  return { email, staffId, secret, client };
}

/** A coordinator's account button: reset-mfa or send-set-up-link. */
async function accountButton(staffId: string, action: 'reset-mfa' | 'send-set-up-link') {
  await coordinator.get(`/admin/staff/${staffId}`);
  const response = await coordinator.post(`/admin/staff/${staffId}/${action}`, {});
  expect(response.statusCode).toBe(303);
  return coordinator.get(response.headers.location!);
}

/** The path of the newest set-up link emailed to this address. */
async function latestLink(email: string): Promise<string> {
  const link = (await emailsTo(t, email, 'staff_set_up_link')).at(-1)?.set_up_link ?? '';
  expect(link).toMatch(/\/account\/set-up\/[\w-]{43}$/);
  return /\/account\/set-up\/[\w-]{43}$/.exec(link)![0];
}

/** Opens the link and sends the form; a page with no form of its own (a dead link) is a stale tab's. */
async function useLink(path: string, password: string, client = t.client()) {
  await client.get(path);
  if (!client.csrfToken) await client.get('/sign-in');
  return client.post(path, { newPassword: password, confirmPassword: password });
}

describe('a set-up link', () => {
  it('is emailed to the owner when their authenticator is reset; their password stops working and they are signed out', async () => {
    const account = await signedInAccount();
    const page = await accountButton(account.staffId, 'reset-mfa');
    expect(page.body).toContain('emailed them a link to choose a new password');

    expect((await account.client.get('/home')).statusCode).toBe(303);
    expect((await passwordStep(t.client(), account.email, OWN_PASSWORD)).statusCode).toBe(400);
    const [email] = await emailsTo(t, account.email, 'staff_set_up_link');
    expect(email!.body).toContain('authenticator app');
    expect(email!.body).toContain('works once');

    const events = (await auditedEvents(t, account.staffId)).filter((event) =>
      ['staff.mfa_reset', 'staff.set_up_link_sent'].includes(event.action),
    );
    expect(events).toMatchObject([
      {
        action: 'staff.mfa_reset',
        actorId: coordinatorId,
        detail: { passwordCleared: true, sessionsEnded: 1 },
      },
      { action: 'staff.set_up_link_sent', actorId: coordinatorId, detail: { reason: 'authenticator reset' } },
    ]);
  });

  it('lets the owner choose a password; their next sign-in then sets up a fresh authenticator app', async () => {
    const account = await signedInAccount();
    await accountButton(account.staffId, 'reset-mfa');
    const path = await latestLink(account.email);

    const page = await t.client().get(path);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(account.email);
    const saved = await useLink(path, NEW_PASSWORD);
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/account/set-up/done');

    const owner = t.client();
    const step = await passwordStep(owner, account.email, NEW_PASSWORD);
    expect(step.headers.location).toBe('/sign-in/set-up-authenticator');
    const fresh = await enrol(t, owner);
    expect(fresh).not.toBe(account.secret);
    expect((await owner.get('/home')).statusCode).toBe(200);

    expect((await auditedEvents(t, account.staffId)).map((e) => e.action)).toContain(
      'staff.password_changed',
    );
    expect(await emailsTo(t, account.email, 'staff_password_changed')).toHaveLength(2);
  });

  it('works once: used again it gives a clear page and changes nothing', async () => {
    const account = await signedInAccount();
    await accountButton(account.staffId, 'reset-mfa');
    const path = await latestLink(account.email);
    expect((await useLink(path, NEW_PASSWORD)).statusCode).toBe(303);

    const again = await t.client().get(path);
    expect(again.statusCode).toBe(404);
    expect(again.body).toContain(EXPIRED_PAGE);
    const reused = await useLink(path, 'someone else wants in now');
    expect(reused.statusCode).toBe(404);
    expect(reused.body).toContain(EXPIRED_PAGE);
    expect((await passwordStep(t.client(), account.email, 'someone else wants in now')).statusCode).toBe(400);
    const refused = (await auditedEvents(t, account.staffId)).filter(
      (event) => event.action === 'staff.set_up_link_refused',
    );
    expect(refused).toMatchObject([{ actorId: null, detail: { reason: 'used' } }]);
  });

  it('stops working after 72 hours', async () => {
    const account = await signedInAccount();
    await accountButton(account.staffId, 'reset-mfa');
    const path = await latestLink(account.email);
    t.clock.advance(72 * HOUR + MINUTE);
    const page = await t.client().get(path);
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain(EXPIRED_PAGE);
    expect(page.body).toContain('Ask your programme coordinator to send you a new one');
    expect((await useLink(path, NEW_PASSWORD)).statusCode).toBe(404);
  });

  it('is replaced by a new one: the earlier link stops working, and a forgotten password keeps the app', async () => {
    const account = await signedInAccount();
    const page = await accountButton(account.staffId, 'send-set-up-link');
    expect(page.body).toContain('emailed them a link to choose a new password');
    const first = await latestLink(account.email);
    t.clock.advance(MINUTE);
    await accountButton(account.staffId, 'send-set-up-link');
    const second = await latestLink(account.email);
    expect(second).not.toBe(first);

    expect((await useLink(first, NEW_PASSWORD)).statusCode).toBe(404);
    expect((await useLink(second, NEW_PASSWORD)).statusCode).toBe(303);
    // Their authenticator app was not reset: the next sign-in asks for its code.
    t.clock.advance(30_000);
    const owner = t.client();
    expect((await passwordStep(owner, account.email, NEW_PASSWORD)).headers.location).toBe(
      '/sign-in/security-code',
    );
    await owner.get('/sign-in/security-code');
    await owner.post('/sign-in/security-code', { code: currentTotp(account.secret, t.clock.now()) });
    expect((await owner.get('/home')).statusCode).toBe(200);
  });

  it('checks the new password as at creation, and stays usable until one is accepted', async () => {
    const account = await signedInAccount();
    await accountButton(account.staffId, 'reset-mfa');
    const path = await latestLink(account.email);
    const client = t.client();
    await client.get(path);
    for (const [fields, message] of [
      [{ newPassword: 'short', confirmPassword: 'short' }, 'Password must be 12 characters or more'],
      [{ newPassword: 'password1234', confirmPassword: 'password1234' }, 'This password is too common'],
      [{ newPassword: NEW_PASSWORD, confirmPassword: 'not the same' }, 'The passwords do not match'],
    ] as const) {
      const response = await client.post(path, fields);
      expect(response.statusCode, message).toBe(400);
      expect(response.body).toContain(message);
    }
    expect((await useLink(path, NEW_PASSWORD, client)).statusCode).toBe(303);
  });

  it('answers an unknown or malformed link with a clear page, never a server error', async () => {
    const client = t.client();
    for (const path of [
      `/account/set-up/${'A'.repeat(43)}`,
      '/account/set-up/short',
      `/account/set-up/${'x'.repeat(90)}`,
      '/account/set-up/%00',
      "/account/set-up/1'%20OR%20'1'='1",
    ]) {
      const page = await client.get(path);
      expect(page.statusCode, path).toBe(404);
      expect(page.body).toContain(EXPIRED_PAGE);
      await client.get('/sign-in');
      const posted = await client.post(path, { newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD });
      expect(posted.statusCode, path).toBe(404);
    }
  });

  it('keeps only a hash of its token, and the coordinator is never shown it', async () => {
    const account = await signedInAccount();
    const page = await accountButton(account.staffId, 'reset-mfa');
    const token = (await latestLink(account.email)).split('/').at(-1)!;
    expect(page.body).not.toContain(token);
    const rows = await queryRows<Record<string, unknown>>(
      t.database,
      sql`SELECT * FROM staff_set_up_links WHERE staff_id = ${account.staffId}`,
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
  });

  it('shows the coordinator where the account stands: temporary, waiting for a link, or set', async () => {
    const email = newStaffEmail();
    const staffId = await createAccount(coordinator, email);
    expect((await coordinator.get(`/admin/staff/${staffId}`)).body).toContain(
      'Temporary password, works until',
    );
    await accountButton(staffId, 'send-set-up-link');
    expect((await coordinator.get(`/admin/staff/${staffId}`)).body).toContain(
      'Set-up link sent, works until',
    );
    await useLink(await latestLink(email), NEW_PASSWORD);
    const owner = t.client();
    await passwordStep(owner, email, NEW_PASSWORD);
    const secret = await shownSecret(owner);
    await owner.post('/sign-in/set-up-authenticator', { code: currentTotp(secret, t.clock.now()) });
    const page = await coordinator.get(`/admin/staff/${staffId}`);
    expect(page.body).toContain('Set by them');
    expect(page.body).toContain('Reset authenticator app');
  });
});
