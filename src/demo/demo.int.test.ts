/** Demo mode: the accounts page finds any participant by name; the outbox shows each role only its messages. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp } from '../test-support/test-app.ts';
import { queryRows } from '../test-support/rows.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('demo accounts', () => {
  it('finds a participant by name, and treats % and _ as letters', async () => {
    const [oldest] = await queryRows<{ given_name: string; family_name: string }>(
      t.database,
      sql`SELECT given_name, family_name FROM participants ORDER BY discharged_on, id LIMIT 1`,
    );
    const name = `${oldest!.given_name} ${oldest!.family_name}`;
    const found = await t.client().get(`/demo?participant=${encodeURIComponent(name.toLowerCase())}`);
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain(`Sign in<span class="nhsuk-u-visually-hidden"> as ${name}</span>`);
    expect(found.body.match(/\/demo\/sign-in\/participant\//g)).toHaveLength(1);
    const wildcard = await t.client().get('/demo?participant=%25');
    expect(wildcard.body.match(/\/demo\/sign-in\/participant\//g)).toBeNull();
  });
});

describe('the demo outbox', () => {
  const KINDS = [
    'sign_in_code',
    'session_booked',
    'session_reminder',
    'rearrange_request',
    'ending_summary',
    'concern_escalation',
    'lone_working_alert',
  ] as const;

  /** The kinds of message a role's outbox shows, from one fresh message of every kind. */
  async function kindsShownTo(email: string): Promise<string[]> {
    const client = await t.signedInAs(email);
    const page = await client.get('/demo/outbox');
    expect(page.statusCode, email).toBe(200);
    return [...new Set([...page.body.matchAll(/data-template="([a-z_]+)"/g)].map((m) => m[1]!))].sort();
  }

  it('shows each role only the messages people in that role would receive or act on', async () => {
    // The newest messages, so the page's 50 are sure to include one of each kind.
    for (const template of KINDS) {
      await t.database.db.execute(
        sql`INSERT INTO notifications (id, channel, recipient, template, personalisation, status, created_at)
            VALUES (gen_random_uuid(), 'email', 'someone@example.com', ${template}, '{"code":"123456"}'::jsonb, 'outbox', now() + interval '1 day')`,
      );
    }
    expect(await kindsShownTo(DEMO.coordinator)).toEqual([...KINDS].sort());
    expect(await kindsShownTo(DEMO.supervisorNorth)).toEqual(
      [
        'concern_escalation',
        'lone_working_alert',
        'rearrange_request',
        'session_booked',
        'session_reminder',
        'sign_in_code',
      ].sort(),
    );
    expect(await kindsShownTo(DEMO.workerPat)).toEqual([
      'rearrange_request',
      'session_booked',
      'session_reminder',
    ]);
    expect(await kindsShownTo(DEMO.clinicianNorth)).toEqual(['concern_escalation', 'ending_summary']);
  });

  it('is not there for the research roles: no link, and the page is not found', async () => {
    for (const email of [DEMO.analyst, DEMO.assessor, DEMO.trialManager]) {
      const client = await t.signedInAs(email);
      const home = await client.get('/home');
      expect(home.body, email).not.toContain('href="/demo/outbox"');
      expect((await client.get('/demo/outbox')).statusCode, email).toBe(404);
    }
    const coordinator = await t.signedInAs(DEMO.coordinator);
    expect((await coordinator.get('/help')).body).toContain('href="/demo/outbox"');
  });
});

describe('the demo’s feedback from participants', () => {
  it('shows the North team’s figures and withholds the South team’s, which has too few', async () => {
    const coordinator = await t.signedInAs(DEMO.coordinator);
    const teams = await queryRows<{ id: string; name: string }>(
      t.database,
      sql`SELECT id, name FROM crisis_teams ORDER BY name`,
    );
    const team = (name: string) => teams.find((row) => row.name.startsWith(name))?.id ?? '';
    const north = await coordinator.get(`/reports/feedback?team=${team('North')}`);
    expect(north.statusCode).toBe(200);
    expect(north.body).toContain('id="answers-worker_understood"');
    expect(north.body).toContain('Fewer than 5 people answered, so results are not shown.');
    expect(north.body).toContain('id="comment-list"');
    const south = await coordinator.get(`/reports/feedback?team=${team('South')}`);
    expect(south.statusCode).toBe(200);
    expect(south.body).not.toContain('id="answers-');
    expect(south.body).toContain('Fewer than 5 people wrote something, so their words are not shown.');
  });
});
