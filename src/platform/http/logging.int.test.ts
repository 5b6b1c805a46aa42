import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createTestApp, DEMO, TestClient, type TestApp } from '../../test-support/test-app.ts';
import { DEMO_PASSWORD } from '../../demo/seed.ts';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../test-support/rows.ts';

let t: TestApp;
let app: FastifyInstance;
const lines: string[] = [];

beforeAll(async () => {
  // The production logger, writing to memory instead of stdout.
  t = await createTestApp({ LOG_LEVEL: 'trace' }, { log: (line) => lines.push(line) });
  app = t.app;
});
afterAll(async () => {
  await t.close();
});

describe('logs', () => {
  it('never contain passwords, codes, cookies or what people typed', async () => {
    const client = new TestClient(app);
    await client.get('/sign-in');
    await client.post('/sign-in', { email: DEMO.coordinator, password: DEMO_PASSWORD });
    await client.get('/sign-in/set-up-authenticator');
    await client.post('/sign-in/set-up-authenticator', { code: '123456' });
    await client.get('/participant/sign-in');
    await client.post('/participant/sign-in', { contact: '07700 900001' });
    // The job that sends the code runs in this process too; then the code is typed in.
    await t.runJobs();
    const [sent] = await queryRows<{ code: string }>(
      t.database,
      sql`SELECT personalisation->>'code' AS code FROM notifications WHERE recipient = '+447700900001' ORDER BY created_at DESC LIMIT 1`,
    );
    const signInCode = sent?.code ?? 'no code was sent';
    await client.post('/participant/sign-in/code', { contact: '07700 900001', code: signInCode });
    const text = lines.join('');
    expect(text).not.toContain(signInCode);
    expect(lines.length).toBeGreaterThan(5);
    expect(text).not.toContain(DEMO_PASSWORD);
    expect(text).not.toContain('123456');
    expect(text).not.toContain('07700 900001');
    for (const value of client.cookies.values()) expect(text).not.toContain(value);
    expect(text).not.toContain(client.csrfToken);
  });

  it('never contain a set-up link’s token, which is in the address itself', async () => {
    const token = 'Zq8rT0kenFromAnEmailThatMustNotBeLogged_0001';
    const client = new TestClient(app);
    await client.get(`/account/set-up/${token}`);
    await client.post(`/account/set-up/${token}`, { newPassword: 'x', confirmPassword: 'x' });
    const text = lines.join('');
    expect(text).toContain('/account/set-up/');
    expect(text).not.toContain(token);
  });

  it('never contain a calendar invitation’s token, which is in the address itself', async () => {
    const token = 'CalendarT0kenFromAReminderEmailNotToBeLogged_02';
    await new TestClient(app).get(`/calendar/${token}.ics`);
    const text = lines.join('');
    expect(text).toContain('/calendar/');
    expect(text).not.toContain(token);
  });
});
