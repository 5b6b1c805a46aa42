/**
 * The analyst's exports (H36): a fresh code from their authenticator app first, good for a few
 * minutes on that sign-in session only, used once; then each table as pseudonymised CSV and the
 * data dictionary, every download audited with what it held. No export holds the arm, initials,
 * a participant id or an NHS number, and a cell a spreadsheet would run as a formula is text.
 * Only analysts may download.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { queryRows } from '../test-support/rows.ts';
import { DEMO_TRUST_ID } from '../demo/seed.ts';
import { DEMO_TRIAL_ID, seedDemoTrial } from './demo-trial.ts';
import { seedDemoRandomisations } from './demo-randomisation.ts';
import { currentTotp, newTotpSecret } from '../identity/totp.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { EXPORT_TABLES } from './export-tables.ts';

let t: TestApp;
let analyst: TestClient;
let secret: string;
const FILES = ['data-dictionary', ...EXPORT_TABLES.map((table) => table.key)];
let identifiers: { initials: string[]; participantId: string; nhsNumber: string };

const exportedEvents = () =>
  queryRows<{ detail: Record<string, unknown> }>(
    t.database,
    sql`SELECT detail FROM audit_events WHERE action = 'trial.exported' ORDER BY seq`,
  );

/** The code the analyst's app shows, a step on from any used before (each works once). */
async function freshCode(): Promise<string> {
  t.clock.advance(30_000);
  return currentTotp(secret, t.clock.now());
}

beforeAll(async () => {
  t = await createTestApp({ TRIAL_MODE: 'on' });
  await seedDemoTrial(t.database.db, DEMO_TRUST_ID, new Date(TEST_NOW));
  await seedDemoRandomisations(t.database.db);
  // One randomised person linked to a participant record, as the programme's referral does.
  const [participant] = await queryRows<{ id: string; nhs_number: string }>(
    t.database,
    sql`SELECT id, nhs_number FROM participants WHERE nhs_number IS NOT NULL LIMIT 1`,
  );
  await t.database.db.execute(
    sql`UPDATE trial_randomisations SET participant_id = ${participant!.id}
         WHERE id = (SELECT id FROM trial_randomisations WHERE trial_id = ${DEMO_TRIAL_ID} ORDER BY study_number LIMIT 1)`,
  );
  // A follow-up whose assessor guessed the arm, and an acute-care episode: exported, never the guess.
  const [assessor] = await queryRows<{ id: string }>(
    t.database,
    sql`SELECT id FROM staff_users WHERE 'outcome_assessor' = ANY (roles) LIMIT 1`,
  );
  await t.database.db.execute(
    sql`INSERT INTO trial_follow_ups (id, trial_id, randomisation_id, time_point, outcome, completed_by, recorded_by, recorded_at, arm_guess, guess_certainty, submission_token)
        SELECT gen_random_uuid(), r.trial_id, r.id, 'month_4', 'done', 'assessor', ${assessor!.id}, now(), 'intervention', 'certain', gen_random_uuid()
          FROM trial_randomisations r WHERE r.trial_id = ${DEMO_TRIAL_ID} ORDER BY r.study_number LIMIT 1`,
  );
  await t.database.db.execute(
    sql`INSERT INTO trial_acute_episodes (id, trial_id, randomisation_id, kind, started_on, source, notes, recorded_by, recorded_at, submission_token)
        SELECT gen_random_uuid(), r.trial_id, r.id, 'inpatient_admission', current_date, 'hospital_records', 'Admitted to Ward 7', ${assessor!.id}, now(), gen_random_uuid()
          FROM trial_randomisations r WHERE r.trial_id = ${DEMO_TRIAL_ID} ORDER BY r.study_number LIMIT 1`,
  );
  // The second randomised withdrew from any use of their data, after an episode was recorded.
  await t.database.db.execute(
    sql`INSERT INTO trial_acute_episodes (id, trial_id, randomisation_id, kind, started_on, source, recorded_by, recorded_at, submission_token)
        SELECT gen_random_uuid(), r.trial_id, r.id, 'crisis_house', current_date, 'hospital_records', ${assessor!.id}, now(), gen_random_uuid()
          FROM trial_randomisations r WHERE r.trial_id = ${DEMO_TRIAL_ID} ORDER BY r.study_number OFFSET 1 LIMIT 1`,
  );
  await t.database.db.execute(
    sql`INSERT INTO trial_withdrawals (id, consent_id, scope, withdrawn_on, recorded_by, recorded_at, submission_token)
        SELECT gen_random_uuid(), r.consent_id, 'data', current_date, r.randomised_by, now(), gen_random_uuid()
          FROM trial_randomisations r WHERE r.trial_id = ${DEMO_TRIAL_ID} ORDER BY r.study_number OFFSET 1 LIMIT 1`,
  );
  // A value a spreadsheet would run as a formula, as an imported record might hold it.
  await t.database.db.execute(
    sql`UPDATE trial_consents SET document_version = '=HYPERLINK("http://x")'
         WHERE id = (SELECT consent_id FROM trial_randomisations WHERE trial_id = ${DEMO_TRIAL_ID} ORDER BY study_number LIMIT 1)`,
  );
  identifiers = {
    initials: (
      await queryRows<{ initials: string }>(t.database, sql`SELECT DISTINCT initials FROM trial_screenings`)
    ).map((r) => r.initials),
    participantId: participant!.id,
    nhsNumber: participant!.nhs_number,
  };
  // A deviation whose kind names the arm, about a randomised person.
  const manager = await t.signedInAs(DEMO.trialManager);
  const [year, month, day] = ukToday(t.clock.now()).split('-') as [string, string, string];
  const [someone] = await queryRows<{ study_id: string }>(
    t.database,
    // Not the one who withdrew from any use of their data, who is in no export.
    sql`SELECT study_id FROM trial_randomisations WHERE arm = 'control' AND study_id <> 'PEERS-DEMO-0002' LIMIT 1`,
  );
  const recorded = await manager.post('/trial/deviations/new', {
    submissionToken: randomUUID(),
    kind: 'control_given_intervention',
    studyId: someone!.study_id,
    'occurredOn[day]': day,
    'occurredOn[month]': month,
    'occurredOn[year]': year,
    description: 'Offered a peer support session by mistake.',
    severity: 'major',
    correctiveAction: 'Session cancelled.',
    preventiveAction: 'Referral checks the arm.',
  });
  expect(recorded.statusCode).toBe(303);
  analyst = await t.signedInAs(DEMO.analyst);
});
afterAll(async () => {
  await t.close();
});

describe('the analyst’s exports', () => {
  it('are refused to every other role', async () => {
    for (const who of [
      'trialManager',
      'assessor',
      'statistician',
      'coordinator',
      'supervisorNorth',
      'workerPat',
    ] as const) {
      const client = await t.signedInAs(DEMO[who]);
      expect([who, (await client.get('/trial/exports')).statusCode]).toEqual([who, 404]);
      expect([who, (await client.get('/trial/exports/screenings.csv')).statusCode]).toEqual([who, 404]);
    }
    expect(await exportedEvents()).toHaveLength(0);
  });

  it('ask an analyst with no authenticator app to set one up, and download nothing', async () => {
    const page = await analyst.get('/trial/exports');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Your account has no authenticator app set up');
    expect(page.body).not.toContain('/trial/exports/screenings.csv');
    const download = await analyst.get('/trial/exports/screenings.csv');
    expect(download.statusCode).toBe(303);
    expect(download.headers.location).toBe('/trial/exports?again=1');
    expect(await exportedEvents()).toHaveLength(0);
  });

  it('without a fresh code, ask for one and download nothing; a wrong or reused code is refused', async () => {
    secret = newTotpSecret();
    await t.database.db.execute(
      sql`UPDATE staff_users SET totp_secret = ${secret}, totp_enrolled_at = now() WHERE email = ${DEMO.analyst}`,
    );
    const page = await analyst.get('/trial/exports');
    expect(page.body).toContain('Security code from your authenticator app');
    const download = await analyst.get('/trial/exports/randomisations.csv');
    expect(download.headers.location).toBe('/trial/exports?again=1');
    expect((await analyst.get('/trial/exports?again=1')).body).toContain('Enter the code your app shows now');
    const wrong = await analyst.post('/trial/exports', {
      code: '000000' === currentTotp(secret, t.clock.now()) ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('nhsuk-error-summary');
    const malformed = await analyst.post('/trial/exports', { code: '<script>' });
    expect(malformed.statusCode).toBe(400);
    // A code works once: the one given here, then the same again on another session.
    const code = await freshCode();
    expect((await analyst.post('/trial/exports', { code })).statusCode).toBe(303);
    const other = await t.signedInAs(DEMO.analyst);
    expect((await other.post('/trial/exports', { code })).statusCode).toBe(400);
    expect((await other.get('/trial/exports/randomisations.csv')).statusCode).toBe(303);
    expect(await exportedEvents()).toHaveLength(0);
  });

  it('with a fresh code, download every table and the dictionary, each audited with what it held', async () => {
    expect((await analyst.post('/trial/exports', { code: await freshCode() })).statusCode).toBe(303);
    const page = await analyst.get('/trial/exports?done=verified');
    expect(page.body).toContain('Code accepted');
    for (const file of FILES) {
      const response = await analyst.get(`/trial/exports/${file}.csv`);
      expect([file, response.statusCode]).toEqual([file, 200]);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toMatch(
        new RegExp(`attachment; filename="peers-demo-${file}-v2\\.csv"`),
      );
    }
    const events = await exportedEvents();
    expect(events.map((e) => e.detail.table)).toEqual(FILES);
    const randomised = await queryRows<{ n: number }>(
      t.database,
      sql`SELECT count(*)::int AS n FROM trial_randomisations r WHERE trial_id = ${DEMO_TRIAL_ID}
            AND NOT EXISTS (SELECT 1 FROM trial_withdrawals w WHERE w.consent_id = r.consent_id AND w.scope = 'data')`,
    );
    expect(events.find((e) => e.detail.table === 'randomisations')!.detail).toEqual({
      table: 'randomisations',
      rows: randomised[0]!.n,
      dictionaryVersion: 2,
    });
  });

  it('never hold the arm, initials, a participant id or an NHS number, and neutralise formulas', async () => {
    const arms = new Set(['intervention', 'control']);
    for (const file of FILES) {
      const body = (await analyst.get(`/trial/exports/${file}.csv`)).body;
      const cells = body
        .replace(/^\uFEFF/, '')
        .split('\r\n')
        .filter(Boolean)
        .flatMap((line) => line.slice(1, -1).split('","'));
      expect([file, cells.filter((c) => arms.has(c.toLowerCase()))]).toEqual([file, []]);
      expect([file, body.includes(identifiers.participantId)]).toEqual([file, false]);
      expect([file, body.includes(identifiers.nhsNumber)]).toEqual([file, false]);
      expect([file, cells.filter((c) => identifiers.initials.includes(c))]).toEqual([file, []]);
      expect([file, cells.filter((c) => /^[=+\-@]/.test(c))]).toEqual([file, []]);
      if (file !== 'data-dictionary') expect([file, cells.includes('arm')]).toEqual([file, false]);
    }
    const followUps = (await analyst.get('/trial/exports/follow_ups.csv')).body;
    expect(followUps).toMatch(/"PEERS-DEMO-0001","month_4","done"/);
    expect(followUps).not.toContain('certain');
    const episodes = (await analyst.get('/trial/exports/acute_care_episodes.csv')).body;
    expect(episodes).toContain('"inpatient_admission"');
    expect(episodes).not.toContain('Ward 7');
    // Someone who withdrew from any use of their data is in no table but the withdrawals.
    for (const file of FILES.filter((f) => f !== 'withdrawals' && f !== 'data-dictionary')) {
      const body = (await analyst.get(`/trial/exports/${file}.csv`)).body;
      expect([file, body.includes('PEERS-DEMO-0002')]).toEqual([file, false]);
    }
    expect((await analyst.get('/trial/exports/withdrawals.csv')).body).toMatch(/"PEERS-DEMO-0002","data"/);
    expect((await analyst.get('/trial/exports/randomisations.csv')).body).toContain('PEERS-DEMO-0003');
    const consents = (await analyst.get('/trial/exports/consents.csv')).body;
    expect(consents).toContain(`"'=HYPERLINK(""http://x"")"`);
    const deviations = (await analyst.get('/trial/exports/protocol_deviations.csv')).body;
    expect(deviations).toMatch(/"","control_given_intervention"/);
  });

  it('ask for a new code once the few minutes are up', async () => {
    t.clock.advance(6 * 60_000);
    const download = await analyst.get('/trial/exports/screenings.csv');
    expect(download.statusCode).toBe(303);
    expect(download.headers.location).toBe('/trial/exports?again=1');
  });
});
