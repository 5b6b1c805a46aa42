/**
 * Forged requests. The form token's secret is renewed whenever someone signs in or out, so a
 * token read (or planted) before cannot be used after; and a state change that the browser says
 * comes from another site (Origin, or Sec-Fetch-Site without it) is refused whatever token it
 * carries. Requests with neither header (old browsers, scripts) rely on the token alone.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../test-support/rows.ts';
import { createTestApp, DEMO, type TestClient, type TestApp } from '../../test-support/test-app.ts';
import { DEMO_PASSWORD } from '../../demo/seed.ts';

let t: TestApp;
const CSRF_COOKIE = 'greenleaf-csrf';

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

const stillSignedIn = async (client: TestClient) => (await client.get('/home')).statusCode === 200;

describe('the form secret', () => {
  it('is renewed when staff sign in, so a token from before signing in no longer works', async () => {
    const client = t.client();
    await client.get('/demo');
    const before = { secret: client.cookies.get(CSRF_COOKIE), token: client.csrfToken! };
    const signIn = await client.post(`/demo/sign-in/staff/${await t.staffId(DEMO.coordinator)}`, {});
    expect(signIn.statusCode).toBe(303);
    await client.get('/help');
    expect(client.cookies.get(CSRF_COOKIE)).toBeDefined();
    expect(client.cookies.get(CSRF_COOKIE)).not.toBe(before.secret);
    const forged = await client.post('/sign-out', { _csrf: before.token });
    expect(forged.statusCode).toBe(403);
    expect(await stillSignedIn(client)).toBe(true);
  });

  it('is renewed at each step of a password sign-in', async () => {
    const client = t.client();
    await client.get('/sign-in');
    const before = client.cookies.get(CSRF_COOKIE);
    const password = await client.post('/sign-in', { email: DEMO.coordinator, password: DEMO_PASSWORD });
    expect(password.statusCode).toBe(303);
    await client.get(String(password.headers.location));
    expect(client.cookies.get(CSRF_COOKIE)).not.toBe(before);
  });

  it('is renewed when a participant signs in with their code', async () => {
    const client = t.client();
    await client.get('/participant/sign-in');
    await client.post('/participant/sign-in', { contact: '07700 900001' });
    await t.runJobs();
    const before = { secret: client.cookies.get(CSRF_COOKIE), token: client.csrfToken! };
    const [row] = await queryRows<{ code: string }>(
      t.database,
      sql`SELECT personalisation->>'code' AS code FROM notifications WHERE recipient = '+447700900001' ORDER BY created_at DESC LIMIT 1`,
    );
    const signedIn = await client.post('/participant/sign-in/code', {
      contact: '07700 900001',
      code: row!.code,
    });
    expect(signedIn.headers.location).toBe('/me');
    await client.get('/me');
    expect(client.cookies.get(CSRF_COOKIE)).not.toBe(before.secret);
    expect((await client.post('/sign-out', { _csrf: before.token })).statusCode).toBe(403);
  });

  it('is renewed at sign-out, so the signed-in pages’ tokens are worthless after', async () => {
    const client = await t.signedInAs(DEMO.workerPat);
    await client.get('/caseload');
    const before = { secret: client.cookies.get(CSRF_COOKIE), token: client.csrfToken! };
    expect((await client.post('/sign-out', {})).statusCode).toBe(303);
    await client.get('/signed-out');
    expect(client.cookies.get(CSRF_COOKIE)).not.toBe(before.secret);
    await client.get('/sign-in');
    const replayed = await client.post('/sign-in', {
      _csrf: before.token,
      email: DEMO.coordinator,
      password: DEMO_PASSWORD,
    });
    expect(replayed.statusCode).toBe(403);
  });
});

describe('a page read without a form secret', () => {
  it('makes one secret for all its forms, so the first form on it works', async () => {
    const [participant] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT p.id FROM participants p JOIN recovery_plans r ON r.participant_id = p.id LIMIT 1`,
    );
    const signedIn = await t.signedInAsParticipant(participant!.id);
    // The same browser straight after signing in, or with its cookies for this site cleared but the session's.
    const client = t.client();
    for (const [name, value] of signedIn.cookies) if (name !== CSRF_COOKIE) client.cookies.set(name, value);
    const page = await client.get('/me/plan/moving_on');
    expect(page.statusCode).toBe(200);
    // A section form's own token, made before the layout's (header, timeout dialog).
    const token =
      /action="\/me\/plan\/moving_on\/entries"[^>]*>\s*<input type="hidden" name="_csrf" value="([^"]+)"/.exec(
        page.body,
      )?.[1];
    expect(token).toBeDefined();
    const saved = await client.post('/me/plan/moving_on/entries', {
      _csrf: token!,
      entryId: randomUUID(),
      saveId: randomUUID(),
      baseRevision: '0',
      fieldKey: 'what_helped',
      kind: 'text',
      text: 'Walking by the canal',
    });
    expect(saved.statusCode).toBe(303);
  });
});

describe('a state change from another site', () => {
  const signOut = (client: TestClient, headers: Record<string, string>) =>
    client.post('/sign-out', {}, { headers });

  it('is refused with the expired form page when Origin names another site, even with a good token', async () => {
    const client = await t.signedInAs(DEMO.workerPat);
    for (const origin of [
      'https://evil.example',
      'null',
      'http://localhost.evil.example',
      'https://localhost',
    ]) {
      await client.get('/caseload');
      const response = await signOut(client, { origin });
      expect(response.statusCode, origin).toBe(403);
      expect(response.body).toContain('This form has expired');
      expect(await stillSignedIn(client)).toBe(true);
    }
  });

  it('is refused when, without Origin, Sec-Fetch-Site says cross-site or same-site', async () => {
    const client = await t.signedInAs(DEMO.workerPat);
    for (const site of ['cross-site', 'same-site']) {
      await client.get('/caseload');
      expect((await signOut(client, { 'sec-fetch-site': site })).statusCode, site).toBe(403);
      expect(await stillSignedIn(client)).toBe(true);
    }
  });

  it('answers a script with JSON', async () => {
    const client = await t.signedInAs(DEMO.workerPat);
    await client.get('/caseload');
    const response = await signOut(client, { origin: 'https://evil.example', accept: 'application/json' });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toEqual({ status: 'expired_form' });
  });

  it('also guards signing in, so nobody is signed in to someone else’s account from another site', async () => {
    const client = t.client();
    await client.get('/sign-in');
    const response = await client.post(
      '/sign-in',
      { email: DEMO.coordinator, password: DEMO_PASSWORD },
      { headers: { 'sec-fetch-site': 'cross-site' } },
    );
    expect(response.statusCode).toBe(403);
  });

  it('passes from this site by Origin or Sec-Fetch-Site, and on the token alone with neither', async () => {
    const cases: Record<string, string>[] = [
      { origin: 'http://localhost:80' },
      { origin: 'http://localhost' },
      { 'sec-fetch-site': 'same-origin' },
      {},
    ];
    for (const headers of cases) {
      const client = await t.signedInAs(DEMO.workerPat);
      await client.get('/caseload');
      expect((await signOut(client, headers)).statusCode, JSON.stringify(headers)).toBe(303);
      expect(await stillSignedIn(client)).toBe(false);
    }
  });
});

describe('behind its public address', () => {
  it('takes only PUBLIC_URL’s origin as this site', async () => {
    const behind = await createTestApp({ PUBLIC_URL: 'https://greenleaf.example.nhs.uk' });
    try {
      const client = await behind.signedInAs(DEMO.workerPat);
      await client.get('/caseload');
      expect(
        (await client.post('/sign-out', {}, { headers: { origin: 'http://localhost:80' } })).statusCode,
      ).toBe(403);
      const ok = await client.post(
        '/sign-out',
        {},
        { headers: { origin: 'https://greenleaf.example.nhs.uk' } },
      );
      expect(ok.statusCode).toBe(303);
    } finally {
      await behind.close();
    }
  });
});
