/**
 * The database lock (H35): the trial manager sees what is still open and confirms; the trial is
 * locked once, audited; after it every page says so and offers no form, every write through the
 * service is refused (409), and the database itself refuses any write to the trial's tables,
 * whoever makes it. Nobody but the trial manager may lock.
 */
import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { queryRows } from '../test-support/rows.ts';
import { DEMO_TRUST_ID } from '../demo/seed.ts';
import { DEMO_TRIAL_ID, seedDemoTrial } from './demo-trial.ts';
import { seedDemoRandomisations } from './demo-randomisation.ts';
import { ukToday, ukTimeOfDay } from '../platform/calendar/uk-time.ts';

let t: TestApp;
let manager: TestClient;
let analyst: TestClient;
const ids: Record<string, string> = {};

const date = (name: string, iso: string) => {
  const [year, month, day] = iso.split('-') as [string, string, string];
  return { [`${name}[day]`]: day, [`${name}[month]`]: month, [`${name}[year]`]: year };
};
const one = async (query: SQL) => (await queryRows<{ id: string }>(t.database, query))[0]!.id;

beforeAll(async () => {
  t = await createTestApp({ TRIAL_MODE: 'on' });
  await seedDemoTrial(t.database.db, DEMO_TRUST_ID, new Date(TEST_NOW));
  await seedDemoRandomisations(t.database.db);
  manager = await t.signedInAs(DEMO.trialManager);
  analyst = await t.signedInAs(DEMO.analyst);
  const [row] = await queryRows<{ screening: string; study_id: string; consent: string }>(
    t.database,
    sql`SELECT s.id AS screening, r.study_id, c.id AS consent FROM trial_randomisations r
          JOIN trial_consents c ON c.id = r.consent_id JOIN trial_screenings s ON s.id = c.screening_id
         WHERE r.trial_id = ${DEMO_TRIAL_ID} ORDER BY r.study_number LIMIT 1`,
  );
  ids.randomisedScreening = row!.screening;
  ids.studyId = row!.study_id;
  ids.consent = row!.consent;
  const today = ukToday(t.clock.now());
  // An unreported serious adverse event, an open query and a deviation: still open at the lock.
  const sae = await manager.post(`/trial/screenings/${ids.randomisedScreening}/sae`, {
    submissionToken: randomUUID(),
    kind: 'self_harm_hospital',
    ...date('onsetOn', today),
    ...date('awareOn', today),
    awareAt: ukTimeOfDay(t.clock.now()),
    summary: 'Seen in the emergency department after self-harm.',
    relatedness: 'unlikely',
    expectedness: 'expected',
  });
  ids.sae = /\/trial\/saes\/([0-9a-f-]{36})/.exec(sae.headers.location as string)![1]!;
  const query = await analyst.post('/trial/queries/new', {
    submissionToken: randomUUID(),
    studyId: ids.studyId,
    field: 'screening.year_of_birth',
    question: 'Is this right?',
  });
  ids.query = /\/trial\/queries\/([0-9a-f-]{36})/.exec(query.headers.location as string)![1]!;
  await manager.post(`/trial/deviations/new`, {
    submissionToken: randomUUID(),
    kind: 'other',
    ...date('occurredOn', today),
    description: 'A visit was missed.',
    severity: 'minor',
    correctiveAction: 'Rebooked.',
    preventiveAction: 'Reminders set.',
  });
  ids.deviation = await one(sql`SELECT id FROM trial_deviations LIMIT 1`);
  ids.reply = randomUUID();
  await t.database.db.execute(
    sql`INSERT INTO trial_data_query_replies (id, query_id, kind, body, value_corrected, written_by, written_at, submission_token)
        SELECT ${ids.reply}, ${ids.query}, 'answer', 'Checked.', false, raised_by, now(), gen_random_uuid() FROM trial_data_queries WHERE id = ${ids.query}`,
  );
  // Two who consented are left for the demo to randomise.
  ids.toRandomise = await one(
    sql`SELECT c.screening_id AS id FROM trial_consents c
         WHERE NOT EXISTS (SELECT 1 FROM trial_randomisations r WHERE r.consent_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM trial_withdrawals w WHERE w.consent_id = c.id) LIMIT 1`,
  );
  ids.unconsented = await one(
    sql`SELECT s.id FROM trial_screenings s WHERE s.eligible AND s.approach IS NULL AND s.trial_id = ${DEMO_TRIAL_ID} LIMIT 1`,
  );
});
afterAll(async () => {
  await t.close();
});

describe('locking the trial’s database', () => {
  it('is offered to the trial manager only', async () => {
    for (const who of ['analyst', 'assessor', 'statistician', 'coordinator', 'clinicianNorth'] as const) {
      const client = await t.signedInAs(DEMO[who]);
      expect([who, (await client.get('/trial/lock')).statusCode]).toEqual([who, 404]);
      expect([who, (await client.post('/trial/lock', { confirm: 'yes' })).statusCode]).toEqual([who, 404]);
    }
    expect(await queryRows(t.database, sql`SELECT 1 FROM trials WHERE locked_at IS NOT NULL`)).toHaveLength(
      0,
    );
  });

  it('shows what is still open, and asks again without the confirmation', async () => {
    const page = await manager.get('/trial/lock');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/Data queries not yet closed[\s\S]*?>1</);
    expect(page.body).toMatch(/not yet reported to the sponsor[\s\S]*?>1</);
    const unconfirmed = await manager.post('/trial/lock', {});
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toContain('nhsuk-error-summary');
    expect(await queryRows(t.database, sql`SELECT 1 FROM trials WHERE locked_at IS NOT NULL`)).toHaveLength(
      0,
    );
  });

  it('locks once, audited with what was still open; a second lock is refused', async () => {
    const locked = await manager.post('/trial/lock', { confirm: 'yes' });
    expect(locked.statusCode).toBe(303);
    const page = await manager.get('/trial/lock?done=locked');
    expect(page.body).toContain('The trial is locked');
    expect(page.body).toContain('Tara Trial-Manager');
    expect(page.body).not.toContain('<form method="post" action="/trial/lock"');
    expect((await manager.post('/trial/lock', { confirm: 'yes' })).statusCode).toBe(409);
    const events = await queryRows<{ detail: Record<string, unknown> }>(
      t.database,
      sql`SELECT detail FROM audit_events WHERE action = 'trial.locked' AND entity_id = ${DEMO_TRIAL_ID}`,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.detail).toMatchObject({ openQueries: 1, unreportedSaes: 1 });
  });

  it('after it, every trial page says so and offers no form', async () => {
    const pages = [
      '/trial',
      '/trial/screenings',
      `/trial/screenings/${ids.randomisedScreening!}`,
      '/trial/saes',
      `/trial/saes/${ids.sae!}`,
      '/trial/queries',
      `/trial/queries/${ids.query!}`,
      '/trial/deviations',
    ];
    for (const path of pages) {
      const page = await manager.get(path);
      expect([path, page.statusCode]).toEqual([path, 200]);
      expect([path, page.body.includes('The trial is locked.')]).toEqual([path, true]);
      expect([path, page.body.includes('<form method="post" action="/trial')]).toEqual([path, false]);
    }
    for (const path of ['/trial/screenings/new', '/trial/queries/new', '/trial/deviations/new']) {
      expect([path, (await manager.get(path)).statusCode]).toEqual([path, 409]);
    }
  });

  it('after it, every write through the service is refused with a conflict and changes nothing', async () => {
    const today = ukToday(t.clock.now());
    const writes: [TestClient, string, Record<string, string>][] = [
      [
        manager,
        '/trial/screenings/new',
        {
          submissionToken: randomUUID(),
          crisisTeamId: await one(sql`SELECT crisis_team_id AS id FROM trial_screenings LIMIT 1`),
          ...date('screenedOn', today),
          initials: 'QX',
          yearOfBirth: '1980',
          age_18_or_over: 'yes',
          discharged_from_crt: 'yes',
          has_capacity: 'yes',
          already_in_programme: 'no',
          currently_inpatient: 'no',
          declined_contact: 'no',
        },
      ],
      [
        manager,
        `/trial/screenings/${ids.randomisedScreening!}/withdrawal`,
        { submissionToken: randomUUID(), scope: 'data', ...date('withdrawnOn', today) },
      ],
      [manager, `/trial/screenings/${ids.unconsented!}/approach`, { outcome: 'declined' }],
      [manager, `/trial/screenings/${ids.toRandomise!}/randomise`, { submissionToken: randomUUID() }],
      [manager, `/trial/saes/${ids.sae!}`, { sponsorReference: 'SP-1' }],
      [
        analyst,
        '/trial/queries/new',
        { submissionToken: randomUUID(), studyId: ids.studyId!, field: 'consent.taken_on', question: 'Why?' },
      ],
      [
        manager,
        `/trial/queries/${ids.query!}`,
        { submissionToken: randomUUID(), answer: 'Yes.', valueCorrected: 'no' },
      ],
      [analyst, `/trial/queries/${ids.query!}/close`, {}],
      [
        analyst,
        `/trial/queries/${ids.query!}/follow-up`,
        { submissionToken: randomUUID(), followUp: 'And?' },
      ],
    ];
    const before = await queryRows(
      t.database,
      sql`SELECT count(*) AS n FROM audit_events WHERE action LIKE 'trial.%'`,
    );
    const statuses: number[] = [];
    for (const [client, path, body] of writes) {
      const status = (await client.post(path, body)).statusCode;
      // A form the locked trial no longer offers answers "not found" or a conflict: never saved.
      expect([path, status]).toEqual([path, expect.toBeOneOf([404, 409])]);
      statuses.push(status);
    }
    expect(
      await queryRows(t.database, sql`SELECT count(*) AS n FROM audit_events WHERE action LIKE 'trial.%'`),
    ).toEqual(before);
    expect(
      await queryRows(t.database, sql`SELECT id FROM trial_saes WHERE reported_at IS NOT NULL`),
    ).toHaveLength(0);
    expect(statuses.filter((s) => s === 409).length).toBeGreaterThanOrEqual(6);
  });

  it('after it, the database itself refuses any write to the trial’s tables', async () => {
    const refused: [string, SQL][] = [
      [
        'update a screening',
        sql`UPDATE trial_screenings SET initials = 'ZZ' WHERE trial_id = ${DEMO_TRIAL_ID}`,
      ],
      ['delete a screening', sql`DELETE FROM trial_screenings WHERE id = ${ids.unconsented!}`],
      ['update a consent', sql`UPDATE trial_consents SET document_version = 'x' WHERE id = ${ids.consent!}`],
      [
        'add a withdrawal',
        sql`INSERT INTO trial_withdrawals (id, consent_id, scope, withdrawn_on, recorded_by, recorded_at, submission_token)
            SELECT gen_random_uuid(), c.id, 'data', current_date, c.taken_by, now(), gen_random_uuid() FROM trial_consents c WHERE c.id = ${ids.consent!}`,
      ],
      [
        'change an allocation slot',
        sql`UPDATE trial_allocation_slots SET arm = arm WHERE trial_id = ${DEMO_TRIAL_ID}`,
      ],
      [
        'change an arm',
        sql`UPDATE trial_randomisations SET arm = 'control' WHERE trial_id = ${DEMO_TRIAL_ID}`,
      ],
      ['report a serious adverse event', sql`UPDATE trial_saes SET warned_at = now() WHERE id = ${ids.sae!}`],
      ['close a data query', sql`UPDATE trial_data_queries SET status = 'answered' WHERE id = ${ids.query!}`],
      ['remove an answer', sql`DELETE FROM trial_data_query_replies WHERE id = ${ids.reply!}`],
      [
        'change a deviation',
        sql`UPDATE trial_deviations SET severity = 'major' WHERE id = ${ids.deviation!}`,
      ],
      ['remove a site', sql`DELETE FROM trial_sites WHERE trial_id = ${DEMO_TRIAL_ID}`],
      // The tables beside the lock's own: each arm's care, follow-ups, unblindings, episodes.
      [
        'post a workbook',
        sql`INSERT INTO trial_workbook_postings (id, trial_id, randomisation_id, posted_on, workbook_version, posted_by, recorded_at, submission_token)
            SELECT gen_random_uuid(), r.trial_id, r.id, current_date, '1.2', r.randomised_by, now(), gen_random_uuid()
              FROM trial_randomisations r WHERE r.trial_id = ${DEMO_TRIAL_ID} LIMIT 1`,
      ],
      [
        'record a follow-up',
        sql`INSERT INTO trial_follow_ups (id, trial_id, randomisation_id, time_point, outcome, not_done_reason, completed_by, recorded_by, recorded_at, submission_token)
            SELECT gen_random_uuid(), r.trial_id, r.id, 'month_4', 'not_done', 'declined', 'assessor', r.randomised_by, now(), gen_random_uuid()
              FROM trial_randomisations r WHERE r.trial_id = ${DEMO_TRIAL_ID} LIMIT 1`,
      ],
      [
        'record an unblinding',
        sql`INSERT INTO trial_unblindings (id, trial_id, randomisation_id, staff_id, learned_on, how, recorded_by, recorded_at, submission_token)
            SELECT gen_random_uuid(), r.trial_id, r.id, r.randomised_by, current_date, 'test', r.randomised_by, now(), gen_random_uuid()
              FROM trial_randomisations r WHERE r.trial_id = ${DEMO_TRIAL_ID} LIMIT 1`,
      ],
      [
        'record an acute-care episode',
        sql`INSERT INTO trial_acute_episodes (id, trial_id, randomisation_id, kind, started_on, source, recorded_by, recorded_at, submission_token)
            SELECT gen_random_uuid(), r.trial_id, r.id, 'inpatient_admission', current_date, 'hospital_records', r.randomised_by, now(), gen_random_uuid()
              FROM trial_randomisations r WHERE r.trial_id = ${DEMO_TRIAL_ID} LIMIT 1`,
      ],
      ['unlock', sql`UPDATE trials SET locked_at = NULL, locked_by = NULL WHERE id = ${DEMO_TRIAL_ID}`],
    ];
    for (const [what, statement] of refused) {
      const error: unknown = await t.database.db.execute(statement).then(
        () => 'written',
        (e: unknown) => e,
      );
      const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
      expect([what, String(cause)]).toEqual([
        what,
        expect.stringContaining('is locked: its data cannot change'),
      ]);
    }
  });
});
