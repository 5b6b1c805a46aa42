/**
 * Serious adverse events: the trial manager records one about a randomised participant and its
 * 24-hour clock starts from when the team became aware; the clock job warns every site's trial
 * managers once when the report is due soon and once when it is overdue, however often it runs
 * and even two at once; recording the report stops it; nobody else may see or record one.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { DEMO_TRUST_ID } from '../demo/seed.ts';
import { DEMO_TRIAL_ID, seedDemoTrial } from './demo-trial.ts';
import { seedDemoRandomisations } from './demo-randomisation.ts';
import { HOUR } from '../platform/clock.ts';
import { ukToday, ukTimeOfDay } from '../platform/calendar/uk-time.ts';

let t: TestApp;
let manager: TestClient;
let randomisedScreening: string;

const emails = (saeId: string) =>
  queryRows<{ recipient: string; source_kind: string }>(
    t.database,
    sql`SELECT recipient FROM notifications WHERE template = 'trial_sae_clock'
          AND personalisation->>'link' LIKE ${`%/trial/saes/${saeId}`} ORDER BY recipient`,
  ).then((rows) => rows.map((r) => r.recipient));

function form(over: Record<string, string> = {}) {
  const now = t.clock.now();
  const [year, month, day] = ukToday(now).split('-') as [string, string, string];
  return {
    submissionToken: randomUUID(),
    kind: 'self_harm_hospital',
    'onsetOn[day]': day,
    'onsetOn[month]': month,
    'onsetOn[year]': year,
    'awareOn[day]': day,
    'awareOn[month]': month,
    'awareOn[year]': year,
    awareAt: ukTimeOfDay(now),
    summary: 'Taken to the emergency department after self-harm; seen and discharged the next day.',
    relatedness: 'unlikely',
    expectedness: 'expected',
    ...over,
  };
}

async function record(over: Record<string, string> = {}): Promise<string> {
  const answer = await manager.post(`/trial/screenings/${randomisedScreening}/sae`, form(over));
  expect(answer.statusCode).toBe(303);
  return /\/trial\/saes\/([0-9a-f-]{36})/.exec(answer.headers.location as string)![1]!;
}

beforeAll(async () => {
  t = await createTestApp({ TRIAL_MODE: 'on' });
  await seedDemoTrial(t.database.db, DEMO_TRUST_ID, new Date(TEST_NOW));
  await seedDemoRandomisations(t.database.db);
  randomisedScreening = (
    await queryRows<{ id: string }>(
      t.database,
      sql`SELECT s.id FROM trial_screenings s JOIN trial_consents c ON c.screening_id = s.id
            JOIN trial_randomisations r ON r.consent_id = c.id WHERE s.trial_id = ${DEMO_TRIAL_ID} LIMIT 1`,
    )
  )[0]!.id;
});
// The clock moves a day in these tests: each signs in afresh.
beforeEach(async () => {
  manager = await t.signedInAs(DEMO.trialManager);
});
afterAll(async () => {
  await t.close();
});

describe('a serious adverse event', () => {
  it('is recorded about a randomised person, its report due 24 hours after the team became aware', async () => {
    const id = await record();
    const page = await manager.get(`/trial/saes/${id}?done=recorded`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Self-harm needing hospital care');
    expect(page.body).toContain('To report');
    const [row] = await queryRows<{ hours: number }>(
      t.database,
      sql`SELECT extract(epoch FROM report_by - aware_at)::int / 3600 AS hours FROM trial_saes WHERE id = ${id}`,
    );
    expect(row?.hours).toBe(24);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'trial.sae_recorded' AND entity_id = ${id}`,
      ),
    ).toBe(1);
  });

  it('warns the trial managers once when due soon, once when overdue, and not after its report', async () => {
    const id = await record();
    const late = await record();
    await t.deps.services.saes.runClock();
    expect(await emails(id)).toEqual([]);
    // Four hours before the deadline: the warning, once, even with two runs at once.
    t.clock.advance(20 * HOUR + 60_000);
    await Promise.all([t.deps.services.saes.runClock(), t.deps.services.saes.runClock()]);
    await t.deps.services.saes.runClock();
    expect(await emails(id)).toEqual([DEMO.trialManager]);
    // One is reported in time; the other is not, and is overdue once.
    manager = await t.signedInAs(DEMO.trialManager);
    const reported = await manager.post(`/trial/saes/${id}`, { sponsorReference: 'SPN-2026-114' });
    expect(reported.statusCode).toBe(303);
    t.clock.advance(4 * HOUR);
    await t.deps.services.saes.runClock();
    await t.deps.services.saes.runClock();
    expect(await emails(id)).toEqual([DEMO.trialManager]);
    expect(await emails(late)).toEqual([DEMO.trialManager, DEMO.trialManager]);
    manager = await t.signedInAs(DEMO.trialManager);
    const list = await manager.get('/trial/saes');
    expect(list.body).toContain('Overdue');
    expect(list.body).toContain('Reported');
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'trial.sae_overdue' AND entity_id = ${late}`,
      ),
    ).toBe(1);
  });

  it('saves once when sent twice, and explains what is wrong without saving', async () => {
    const before = await count(t.database, sql`SELECT count(*) AS n FROM trial_saes`);
    const body = form();
    await Promise.all([
      manager.post(`/trial/screenings/${randomisedScreening}/sae`, body),
      manager.post(`/trial/screenings/${randomisedScreening}/sae`, body),
    ]);
    expect(await count(t.database, sql`SELECT count(*) AS n FROM trial_saes`)).toBe(before + 1);
    const wrong = await manager.post(
      `/trial/screenings/${randomisedScreening}/sae`,
      form({ kind: 'made_up', summary: '', relatedness: 'perhaps', awareAt: '25:00' }),
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('There is a problem');
    expect(wrong.body).toContain('Describe what happened, without names');
    expect(wrong.body).toContain('Enter the time the team became aware');
    expect(await count(t.database, sql`SELECT count(*) AS n FROM trial_saes`)).toBe(before + 1);
  });

  it('is for the trial manager only', async () => {
    const id = await record();
    for (const email of [
      DEMO.assessor,
      DEMO.analyst,
      DEMO.coordinator,
      DEMO.clinicianNorth,
      DEMO.workerPat,
    ]) {
      const client = await t.signedInAs(email);
      expect((await client.get('/trial/saes')).statusCode, email).toBe(404);
      expect((await client.get(`/trial/saes/${id}`)).statusCode, email).toBe(404);
      expect(
        (await client.post(`/trial/screenings/${randomisedScreening}/sae`, form())).statusCode,
        email,
      ).toBe(404);
    }
  });
});
