/**
 * Each arm's care: the trial manager links a randomised person to the participant record their
 * crisis team made; the control group's is then offered nothing of the programme (not on the
 * waiting list, nobody allocated, no session, refused by the database too) and is posted the
 * workbook; an intervention group member who withdraws has their sessions stopped, their
 * reminders cancelled, and their peer support worker told. Nobody but the trial manager links.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { aParticipant, type MadeParticipant } from '../test-support/factories.ts';
import { dateFields, plannedFields } from '../test-support/session-forms.ts';
import { DEMO_TRUST_ID } from '../demo/seed.ts';
import { addDays, ukToday } from '../platform/calendar/uk-time.ts';
import { DEMO_TRIAL_ID, seedDemoTrial } from './demo-trial.ts';
import { seedDemoRandomisations } from './demo-randomisation.ts';
import { demoNhsNumber } from './demo-trial-participants.ts';

interface Randomised {
  screeningId: string;
  consentId: string;
  studyId: string;
  arm: 'intervention' | 'control';
  initials: string;
  yearOfBirth: number;
  team: 'north' | 'south';
}

let t: TestApp;
let manager: TestClient;
let people: Randomised[];
let nextStem = 999_500_000;

const controls = () => people.filter((p) => p.arm === 'control');
const interventions = () => people.filter((p) => p.arm === 'intervention');

/** A record as their crisis team would have made it: their initials, born in their year. */
async function recordFor(person: Randomised, options: { worker?: string } = {}): Promise<MadeParticipant> {
  const nhsNumber = demoNhsNumber((nextStem += 10));
  return aParticipant(t, {
    ...(options.worker ? { worker: options.worker } : { team: person.team }),
    with: {
      givenName: `${person.initials.charAt(0)}obin`,
      familyName: `${person.initials.charAt(person.initials.length - 1)}xample`,
      dateOfBirth: `${String(person.yearOfBirth)}-03-03`,
      nhsNumber,
    },
  });
}

const link = async (person: Randomised, nhsNumber: string) => {
  await manager.get(`/trial/screenings/${person.screeningId}/participant`);
  return manager.post(`/trial/screenings/${person.screeningId}/participant`, { nhsNumber });
};

const linkedTo = async (person: Randomised) =>
  (
    await queryRows<{ participant_id: string | null }>(
      t.database,
      sql`SELECT participant_id FROM trial_randomisations WHERE consent_id = ${person.consentId}`,
    )
  )[0]?.participant_id ?? null;

const withheld = async (participantId: string) =>
  (
    await queryRows<{ intervention_withheld: string | null }>(
      t.database,
      sql`SELECT intervention_withheld FROM participants WHERE id = ${participantId}`,
    )
  )[0]?.intervention_withheld ?? null;

beforeAll(async () => {
  t = await createTestApp({ TRIAL_MODE: 'on' });
  await seedDemoTrial(t.database.db, DEMO_TRUST_ID, new Date(TEST_NOW));
  await seedDemoRandomisations(t.database.db);
  people = await queryRows<Randomised>(
    t.database,
    sql`SELECT s.id AS "screeningId", c.id AS "consentId", r.study_id AS "studyId", r.arm, s.initials,
               s.year_of_birth AS "yearOfBirth",
               CASE WHEN lower(ct.name) LIKE 'north%' THEN 'north' ELSE 'south' END AS team
          FROM trial_randomisations r
          JOIN trial_consents c ON c.id = r.consent_id
          JOIN trial_screenings s ON s.id = c.screening_id
          JOIN crisis_teams ct ON ct.id = s.crisis_team_id
         WHERE r.trial_id = ${DEMO_TRIAL_ID}
         ORDER BY r.study_number`,
  );
  // The demo randomises nine people in two strata, one of them with at least five: both arms.
  expect(controls().length).toBeGreaterThanOrEqual(2);
  expect(interventions().length).toBeGreaterThanOrEqual(3);
  manager = await t.signedInAs(DEMO.trialManager);
});
afterAll(async () => {
  await t.close();
});

describe('a control group member', () => {
  it('is linked to their record, and from then on nobody can allocate them, book them a session or find them waiting', async () => {
    const person = controls()[0]!;
    const record = await recordFor(person);
    const coordinator = await t.signedInAs(DEMO.coordinator);
    expect((await coordinator.get('/allocation')).body).toContain(record.familyName);

    const referrals = async () =>
      Number(/Referred in the period"?,"?"?,"?(\d+)/.exec((await coordinator.get('/reports/download')).body)?.[1]);
    const referredBefore = await referrals();
    expect(referredBefore).toBeGreaterThan(0);
    const linked = await link(person, record.nhsNumber!);
    expect(linked.statusCode).toBe(303);
    expect(await linkedTo(person)).toBe(record.id);
    expect(await withheld(record.id)).toBe('trial_control');
    const audited = await queryRows<{ detail: Record<string, unknown> }>(
      t.database,
      sql`SELECT detail FROM audit_events WHERE action = 'trial.participant_linked' AND entity_id = ${person.screeningId}`,
    );
    expect(audited).toHaveLength(1);
    // The audit log is read by more people than may know the arm: it is not there.
    expect(JSON.stringify(audited[0]!.detail)).not.toMatch(/control|intervention/);

    const page = await manager.get(`/trial/screenings/${person.screeningId}?done=linked`);
    expect(page.body).toContain(record.familyName);
    expect(page.body).toContain('Record the workbook posted');

    // Not waiting for a worker, and no way to give them one or book them a session.
    expect((await coordinator.get('/allocation')).body).not.toContain(record.familyName);
    const summary = await coordinator.get(`/participants/${record.id}`);
    expect(summary.body).toContain('control group');
    expect(summary.body).not.toContain(`/participants/${record.id}/allocate"`);
    await coordinator.get(`/participants/${record.id}/allocate`);
    const pat = (await queryRows<{ id: string }>(t.database, sql`SELECT id FROM staff_users WHERE email = ${DEMO.workerPat}`))[0]!;
    const allocated = await coordinator.post(`/participants/${record.id}/allocate`, { peerWorkerId: pat.id });
    expect(allocated.statusCode).toBe(400);
    expect(allocated.body).toContain('control group');
    expect(await count(t.database, sql`SELECT count(*) AS n FROM allocations WHERE participant_id = ${record.id}`)).toBe(0);

    // The service's reports count the programme's people: not them, never offered it.
    expect(await referrals()).toBe(referredBefore - 1);

    // They are told, on their own page, what to expect instead of a worker.
    const own = await (await t.signedInAsParticipant(record.id)).get('/me');
    expect(own.body).toContain('Taking part in the research study');
    expect(own.body).not.toContain('We are finding a peer support worker for you');

    // Below every service: the database refuses an allocation or a session for them.
    await expect(
      t.database.db.execute(
        sql`INSERT INTO allocations (id, participant_id, peer_worker_id, allocated_by, allocated_at)
            VALUES (${randomUUID()}, ${record.id}, ${pat.id}, ${pat.id}, now())`,
      ),
    ).rejects.toThrow();
  });

  it('is not linked to a record whose initials or year of birth are not theirs, nor one that already has a worker', async () => {
    const person = controls()[1]!;
    const stranger = await aParticipant(t, { with: { givenName: 'Quentin', familyName: 'Zed', dateOfBirth: '1950-01-01' } });
    const wrong = await link(person, stranger.nhsNumber!);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('is not this person');
    expect(wrong.body).toContain('nhsuk-error-summary');

    const unknown = await link(person, demoNhsNumber(999_700_000));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('No participant record at the trial’s trusts has this NHS number');

    const invalid = await link(person, '123 456 7890');
    expect(invalid.statusCode).toBe(400);
    expect(invalid.body).toContain('Enter a valid NHS number');

    const allocated = await recordFor(person, { worker: DEMO.workerPat });
    const refused = await link(person, allocated.nhsNumber!);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('already has a peer support worker');
    expect(await linkedTo(person)).toBeNull();
    expect(await withheld(allocated.id)).toBeNull();
  });

  it('is posted the workbook: recorded once however often the form is sent, and only for the control group', async () => {
    const person = controls()[0]!;
    const today = ukToday(t.clock.now());
    await manager.get(`/trial/screenings/${person.screeningId}/workbook`);
    const form = { submissionToken: randomUUID(), ...dateFields('postedOn', today), workbookVersion: '1.2' };
    const [first, second] = await Promise.all([
      manager.post(`/trial/screenings/${person.screeningId}/workbook`, form),
      manager.post(`/trial/screenings/${person.screeningId}/workbook`, form),
    ]);
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM trial_workbook_postings p JOIN trial_randomisations r ON r.id = p.randomisation_id
             WHERE r.consent_id = ${person.consentId}`,
      ),
    ).toBe(1);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'trial.workbook_posted' AND entity_id = ${person.screeningId}`,
      ),
    ).toBe(1);
    expect((await manager.get(`/trial/screenings/${person.screeningId}`)).body).toContain('Version 1.2, posted');

    const future = await manager.post(`/trial/screenings/${person.screeningId}/workbook`, {
      submissionToken: randomUUID(),
      ...dateFields('postedOn', addDays(today, 1)),
      workbookVersion: '1.2',
    });
    expect(future.statusCode).toBe(400);
    expect(future.body).toContain('Date posted must be today or in the past');
    const superseded = await manager.post(`/trial/screenings/${person.screeningId}/workbook`, {
      submissionToken: randomUUID(),
      ...dateFields('postedOn', today),
      workbookVersion: '1.1',
    });
    expect(superseded.statusCode).toBe(400);

    const intervention = interventions()[0]!;
    expect((await manager.get(`/trial/screenings/${intervention.screeningId}/workbook`)).statusCode).toBe(404);
  });
});

describe('an intervention group member who withdraws', () => {
  it('has their reminders cancelled, no more sessions booked, and their peer support worker told', async () => {
    const person = interventions()[0]!;
    const record = await recordFor(person, { worker: DEMO.workerPat });
    expect((await link(person, record.nhsNumber!)).statusCode).toBe(303);
    expect(await withheld(record.id)).toBeNull();

    // Their worker books a session; its reminders are planned.
    const pat = await t.signedInAs(DEMO.workerPat);
    const inThreeDays = addDays(ukToday(t.clock.now()), 3);
    await pat.get(`/participants/${record.id}/sessions/new`);
    const booked = await pat.post(`/participants/${record.id}/sessions/new`, {
      submissionToken: randomUUID(),
      ...plannedFields(inThreeDays, '14:00'),
      mode: 'phone',
    });
    expect(booked.statusCode).toBe(303);
    const scheduled = sql`SELECT count(*) AS n FROM session_reminders r JOIN programme_sessions s ON s.id = r.session_id
                           WHERE s.participant_id = ${record.id} AND r.status = 'scheduled'`;
    expect(await count(t.database, scheduled)).toBeGreaterThan(0);

    await manager.get(`/trial/screenings/${person.screeningId}/withdrawal`);
    const withdrawn = await manager.post(`/trial/screenings/${person.screeningId}/withdrawal`, {
      submissionToken: randomUUID(),
      scope: 'intervention',
      ...dateFields('withdrawnOn', ukToday(t.clock.now())),
      reason: '',
    });
    expect(withdrawn.statusCode).toBe(303);

    expect(await withheld(record.id)).toBe('trial_withdrawn');
    expect(await count(t.database, scheduled)).toBe(0);
    // The worker hears: an email naming nobody, and their page says who and why.
    const told = await queryRows<{ recipient: string; personalisation: Record<string, string> }>(
      t.database,
      sql`SELECT recipient, personalisation FROM notifications WHERE template = 'trial_intervention_withdrawn'`,
    );
    expect(told.map((n) => n.recipient)).toEqual([DEMO.workerPat]);
    expect(JSON.stringify(told[0]!.personalisation)).not.toContain(record.familyName);
    const summary = await pat.get(`/participants/${record.id}`);
    expect(summary.body).toContain('withdrew from peer support in the research trial');
    expect(summary.body).toContain('should end their programme');
    expect(summary.body).not.toContain(`/participants/${record.id}/sessions/new"`);
    const caseload = await pat.get('/caseload');
    expect(caseload.body).toContain('Withdrew from peer support in the research trial: end their programme');

    // The reminder job sends nothing about them, even a message put back as if planned in a race:
    // it looks again when it sends. Nor does anybody book them again.
    await t.database.db.execute(
      sql`UPDATE session_reminders r SET status = 'scheduled', next_attempt_at = ${new Date(t.clock.now().getTime() - 60_000)}
            FROM programme_sessions s WHERE s.id = r.session_id AND s.participant_id = ${record.id}`,
    );
    await t.deps.services.reminderDelivery.sendDue();
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM session_reminders r JOIN programme_sessions s ON s.id = r.session_id
                                   WHERE s.participant_id = ${record.id} AND r.status_reason = 'withdrew from the trial intervention'`),
    ).toBeGreaterThan(0);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM notifications WHERE template IN ('session_reminder', 'session_booked')
             AND recipient = ${record.mobile}`,
      ),
    ).toBe(0);
    await pat.get(`/participants/${record.id}/sessions/new`);
    const again = await pat.post(`/participants/${record.id}/sessions/new`, {
      submissionToken: randomUUID(),
      ...plannedFields(addDays(inThreeDays, 2), '14:00'),
      mode: 'phone',
    });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('withdrawn from peer support in the research trial');
  });

  it('who withdrew before their record was linked has it stopped when it is linked', async () => {
    const person = interventions()[1]!;
    const record = await recordFor(person);
    await manager.get(`/trial/screenings/${person.screeningId}/withdrawal`);
    expect(
      (
        await manager.post(`/trial/screenings/${person.screeningId}/withdrawal`, {
          submissionToken: randomUUID(),
          scope: 'follow_up',
          ...dateFields('withdrawnOn', ukToday(t.clock.now())),
          reason: 'Moving away',
        })
      ).statusCode,
    ).toBe(303);
    expect(await withheld(record.id)).toBeNull();
    expect((await link(person, record.nhsNumber!)).statusCode).toBe(303);
    expect(await withheld(record.id)).toBe('trial_withdrawn');
    const coordinator = await t.signedInAs(DEMO.coordinator);
    expect((await coordinator.get('/allocation')).body).not.toContain(record.familyName);
  });
});

describe('the trial’s flow diagram', () => {
  it('follows each arm from allocation to analysis, with the withdrawals recorded above', async () => {
    const home = await manager.get('/trial');
    expect(home.statusCode).toBe(200);
    const table = home.body.slice(home.body.indexOf('id="arms"'));
    const row = (label: string) =>
      [...new RegExp(`${label}</th>((?:\\s*<td[^>]*>[^<]*</td>)+)`).exec(table)![1]!.matchAll(/>([^<]*)<\/td>/g)].map(
        (m) => m[1],
      );
    const randomised = [interventions().length, controls().length].map(String);
    expect(row('Randomised to it')).toEqual(randomised);
    // Two of the intervention group withdrew above (one from follow-up too); the control group has no peer support to stop.
    expect(row('Stopped peer support \\(withdrew\\)')).toEqual(['2', 'Not applicable']);
    expect(row('Withdrew from follow-up')).toEqual(['1', '0']);
    expect(row('Analysed \\(all but those who withdrew their data\\)')).toEqual(randomised);
  });
});

describe('linking', () => {
  it('is the trial manager’s alone: everyone else gets "not found", and sees no part about the arm’s care', async () => {
    const person = interventions()[2]!;
    const record = await recordFor(person);
    for (const email of [DEMO.assessor, DEMO.analyst, DEMO.statistician, DEMO.coordinator, DEMO.clinicianNorth]) {
      const other = await t.signedInAs(email);
      expect((await other.get(`/trial/screenings/${person.screeningId}/participant`)).statusCode).toBe(404);
      expect(
        (await other.post(`/trial/screenings/${person.screeningId}/participant`, { nhsNumber: record.nhsNumber! }))
          .statusCode,
      ).toBe(404);
      expect((await other.get(`/trial/screenings/${person.screeningId}/workbook`)).statusCode).toBe(404);
    }
    expect(await linkedTo(person)).toBeNull();
    // Linked once; the same number again changes nothing, another is refused.
    expect((await link(person, record.nhsNumber!)).statusCode).toBe(303);
    expect((await manager.post(`/trial/screenings/${person.screeningId}/participant`, { nhsNumber: record.nhsNumber! })).statusCode).toBe(303);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'trial.participant_linked' AND entity_id = ${person.screeningId}`,
      ),
    ).toBe(1);
  });
});
