import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { count, queryRows } from '../test-support/rows.ts';
import { createTestApp, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { HOUR, MINUTE } from '../platform/clock.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

// Seeded participant #1 (Priya) has mobile +447700900001.
const MOBILE = '07700 900001';

async function latestCodeFor(recipient: string): Promise<string | undefined> {
  const rows = await queryRows<{ code: string }>(
    t.database,
    sql`SELECT personalisation->>'code' AS code FROM notifications WHERE recipient = ${recipient} ORDER BY created_at DESC LIMIT 1`,
  );
  return rows[0]?.code;
}

async function requestCode(client: TestClient, contact: string) {
  await client.get('/participant/sign-in');
  return client.post('/participant/sign-in', { contact });
}

describe('participant sign-in with a one-time code', () => {
  it('sends a code that signs the participant in once', async () => {
    const client = t.client('198.51.100.1');
    const sent = await requestCode(client, MOBILE);
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('Enter the code we sent you');
    const code = await latestCodeFor('+447700900001');
    expect(code).toMatch(/^\d{6}$/);
    const signedIn = await client.post('/participant/sign-in/code', { contact: MOBILE, code: code! });
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe('/me');
    const me = await client.get('/me');
    expect(me.body).toContain('Hello, Priya');
    expect(me.body).toContain('0113 496 0000');

    const again = t.client('198.51.100.2');
    await again.get('/participant/sign-in');
    const reused = await again.post('/participant/sign-in/code', { contact: MOBILE, code: code! });
    expect(reused.statusCode).toBe(400);
  });

  it('says the same thing for a number nobody has, and sends nothing', async () => {
    const before = await count(t.database, sql`SELECT count(*)::int AS n FROM notifications`);
    const response = await requestCode(t.client('198.51.100.3'), '07700 999999');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('If we have your details, we have sent a 6-digit code');
    const after = await count(t.database, sql`SELECT count(*)::int AS n FROM notifications`);
    expect(after).toBe(before);
  });

  it('sends no clinical words in the message', async () => {
    await requestCode(t.client('198.51.100.4'), '07700 900002');
    const rows = await queryRows<{ template: string; personalisation: Record<string, string> }>(
      t.database,
      sql`SELECT template, personalisation FROM notifications WHERE recipient = '+447700900002'`,
    );
    expect(rows[0]).toEqual({
      template: 'sign_in_code',
      personalisation: { code: expect.stringMatching(/^\d{6}$/) as unknown },
    });
  });

  it('refuses an expired code', async () => {
    const client = t.client('198.51.100.5');
    await requestCode(client, '07700 900003');
    const code = await latestCodeFor('+447700900003');
    t.clock.advance(11 * MINUTE);
    const response = await client.post('/participant/sign-in/code', { contact: '07700 900003', code: code! });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('has expired');
  });

  it('stops a code working after 5 wrong tries, even if the sixth is right', async () => {
    const client = t.client('198.51.100.6');
    await requestCode(client, '07700 900005');
    const code = await latestCodeFor('+447700900005');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const attacker = t.client(`203.0.113.${i + 10}`);
      await attacker.get('/participant/sign-in');
      expect(
        (await attacker.post('/participant/sign-in/code', { contact: '07700 900005', code: wrong }))
          .statusCode,
      ).toBe(400);
    }
    expect(
      (await client.post('/participant/sign-in/code', { contact: '07700 900005', code: code! })).statusCode,
    ).toBe(400);
  });

  it('limits how many codes one number can be sent', async () => {
    const client = t.client('198.51.100.7');
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await requestCode(client, '07700 900006')).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('explains what to type when the contact is not a mobile or an email', async () => {
    const response = await requestCode(t.client('198.51.100.8'), '0113 496 0000');
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter a UK mobile number');
  });
});

// Last in the file: it moves the clock on two days, past everything the tests above made.
describe('the nightly purge of sign-in data', () => {
  const rowCount = (table: 'participant_sign_in_codes' | 'sign_in_throttles' | 'user_sessions') =>
    count(t.database, sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`);

  it('deletes codes, throttle counters and sessions a day past expiry, and keeps recent ones', async () => {
    expect(await rowCount('participant_sign_in_codes')).toBeGreaterThan(0);
    expect(await rowCount('sign_in_throttles')).toBeGreaterThan(0);
    expect(await rowCount('user_sessions')).toBeGreaterThan(0);

    t.clock.advance(48 * HOUR);
    // A code requested now: one code and its two send counters (per contact, per address).
    await requestCode(t.client('198.51.100.9'), '07700 900007');
    await t.deps.services.signInHousekeeping.purgeExpired();

    expect(await rowCount('participant_sign_in_codes')).toBe(1);
    expect(await rowCount('sign_in_throttles')).toBe(2);
    expect(await rowCount('user_sessions')).toBe(0);
    const code = await latestCodeFor('+447700900007');
    const client = t.client('198.51.100.9');
    await client.get('/participant/sign-in');
    expect(
      (await client.post('/participant/sign-in/code', { contact: '07700 900007', code: code! })).statusCode,
    ).toBe(303);
  });
});
