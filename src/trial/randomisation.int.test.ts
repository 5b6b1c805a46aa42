/**
 * Randomisation through HTTP: the trial manager randomises someone who consented, once whatever
 * is sent again, into the next slot of their crisis team's sequence, in the transaction of its
 * audit event (which never names the arm); arms stay balanced within each stratum, also when
 * several are randomised at once; and the arm is never reached by an outcome assessor, an
 * analyst or anyone else.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { DEMO_TRUST_ID } from '../demo/seed.ts';
import { DEMO_TRIAL_ID, seedDemoTrial } from './demo-trial.ts';
import { LEFT_TO_RANDOMISE, seedDemoRandomisations } from './demo-randomisation.ts';

let t: TestApp;
let manager: TestClient;
let managerId: string;
const teams: Record<'north' | 'south', string> = { north: '', south: '' };

/** Someone screened eligible in a team who consented, made directly: answers the screening's id. */
async function consented(team: 'north' | 'south', options: { withdrawn?: boolean } = {}): Promise<string> {
  const screeningId = randomUUID();
  const consentId = randomUUID();
  await t.database.db.execute(
    sql`INSERT INTO trial_screenings (id, trial_id, trust_id, crisis_team_id, screened_on, screened_by, screened_at,
                                      initials, year_of_birth, checklist_version, answers, eligible, ineligible_reasons,
                                      approach, approach_recorded_by, approach_recorded_at, submission_token)
        VALUES (${screeningId}, ${DEMO_TRIAL_ID}, ${DEMO_TRUST_ID}, ${teams[team]}, '2026-11-20', ${managerId}, now(),
                'RN', 1985, 1, '{}'::jsonb, true, '{}', 'consented', ${managerId}, now(), ${randomUUID()})`,
  );
  await t.database.db.execute(
    sql`INSERT INTO trial_consents (id, screening_id, document_version, taken_by, taken_on, recorded_at,
                                    capacity_confirmed, submission_token)
        VALUES (${consentId}, ${screeningId}, 'v1.0', ${managerId}, '2026-11-20', now(), true, ${randomUUID()})`,
  );
  if (options.withdrawn)
    await t.database.db.execute(
      sql`INSERT INTO trial_withdrawals (id, consent_id, scope, withdrawn_on, reason, recorded_by, recorded_at, submission_token)
          VALUES (${randomUUID()}, ${consentId}, 'follow_up', '2026-11-21', NULL, ${managerId}, now(), ${randomUUID()})`,
    );
  return screeningId;
}

const randomise = (client: TestClient, screeningId: string, token: string = randomUUID()) =>
  client.post(`/trial/screenings/${screeningId}/randomise`, { submissionToken: token });

const randomisationOf = async (screeningId: string) =>
  queryRows<{ study_id: string; arm: string; position: number; crisis_team_id: string }>(
    t.database,
    sql`SELECT r.study_id, r.arm, r.position, r.crisis_team_id FROM trial_randomisations r
          JOIN trial_consents c ON c.id = r.consent_id WHERE c.screening_id = ${screeningId}`,
  );

const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

beforeAll(async () => {
  t = await createTestApp({ TRIAL_MODE: 'on' });
  await seedDemoTrial(t.database.db, DEMO_TRUST_ID, new Date(TEST_NOW));
  for (const team of ['north', 'south'] as const) {
    teams[team] = (
      await queryRows<{ id: string }>(
        t.database,
        sql`SELECT id FROM crisis_teams WHERE trust_id = ${DEMO_TRUST_ID} AND name ILIKE ${`${team}%`}`,
      )
    )[0]!.id;
  }
  managerId = await t.staffId(DEMO.trialManager);
  manager = await t.signedInAs(DEMO.trialManager);
});
afterAll(async () => {
  await t.close();
});

describe('randomising someone who consented', () => {
  it('gives a study id and an arm from their team’s sequence, audited without the arm', async () => {
    const screeningId = await consented('north');
    const page = await manager.get(`/trial/screenings/${screeningId}`);
    expect(textOf(page.body)).toContain('It cannot be undone');
    const answer = await randomise(manager, screeningId);
    expect(answer.statusCode).toBe(303);
    const [row] = await randomisationOf(screeningId);
    expect(row?.study_id).toMatch(/^[A-Z0-9-]+-\d{4}$/);
    expect(['intervention', 'control']).toContain(row?.arm);
    expect(row?.crisis_team_id).toBe(teams.north);

    const after = textOf((await manager.get(`/trial/screenings/${screeningId}?done=randomised`)).body);
    expect(after).toContain(`Study ID ${row!.study_id}`);
    expect(after).toMatch(/Arm (Peer support \(the programme\)|Usual care with the workbook)/);
    expect(after).not.toContain('It cannot be undone');

    const [event] = await queryRows<{ detail: unknown }>(
      t.database,
      sql`SELECT detail FROM audit_events WHERE action = 'trial.randomised' AND entity_id = ${screeningId}`,
    );
    expect(JSON.stringify(event?.detail)).toContain(row!.study_id);
    expect(JSON.stringify(event?.detail)).not.toMatch(/intervention|control/);
  });

  it('randomises once, whether the form is sent twice or sent again later', async () => {
    const screeningId = await consented('north');
    const token = randomUUID();
    const answers = await Promise.all([
      randomise(manager, screeningId, token),
      randomise(manager, screeningId, token),
    ]);
    expect(answers.map((a) => a.statusCode)).toEqual([303, 303]);
    await randomise(manager, screeningId);
    expect(await randomisationOf(screeningId)).toHaveLength(1);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'trial.randomised' AND entity_id = ${screeningId}`,
      ),
    ).toBe(1);
  });

  it('keeps the arms within 3 of each other in every team, and each team’s slots in order', async () => {
    const people = [];
    for (let i = 0; i < 16; i++) people.push(await consented(i % 2 === 0 ? 'north' : 'south'));
    // Several at once, as two research staff might.
    for (let i = 0; i < people.length; i += 4)
      await Promise.all(people.slice(i, i + 4).map((p) => randomise(manager, p)));
    const rows = await queryRows<{
      crisis_team_id: string;
      intervention: number;
      control: number;
      positions: number[];
    }>(
      t.database,
      sql`SELECT crisis_team_id, count(*) FILTER (WHERE arm = 'intervention')::int AS intervention,
                 count(*) FILTER (WHERE arm = 'control')::int AS control,
                 array_agg(position ORDER BY position) AS positions
            FROM trial_randomisations WHERE trial_id = ${DEMO_TRIAL_ID} GROUP BY crisis_team_id`,
    );
    for (const row of rows) {
      expect(Math.abs(row.intervention - row.control), row.crisis_team_id).toBeLessThanOrEqual(3);
      // Slots taken in order, none twice, none skipped.
      expect(row.positions).toEqual(row.positions.map((_, i) => i + 1));
    }
    const studyNumbers = await queryRows<{ n: number; distinct: number }>(
      t.database,
      sql`SELECT count(*)::int AS n, count(DISTINCT study_number)::int AS distinct FROM trial_randomisations`,
    );
    expect(studyNumbers[0]?.n).toBe(studyNumbers[0]?.distinct);
    // The balance page shows each team's arms to the trial manager.
    const balance = textOf((await manager.get('/trial/balance')).body);
    expect(balance).toContain('North');
    expect(balance).toContain('South');
  });

  it('refuses someone who has withdrawn, and changes nothing', async () => {
    const screeningId = await consented('south', { withdrawn: true });
    expect(textOf((await manager.get(`/trial/screenings/${screeningId}`)).body)).not.toContain(
      'It cannot be undone',
    );
    const answer = await randomise(manager, screeningId);
    expect(answer.statusCode).toBe(409);
    expect(await randomisationOf(screeningId)).toHaveLength(0);
  });

  it('never shows the arm to an outcome assessor, an analyst or anyone but the trial manager', async () => {
    const screeningId = await consented('north');
    await randomise(manager, screeningId);
    for (const email of [
      DEMO.assessor,
      DEMO.analyst,
      DEMO.coordinator,
      DEMO.supervisorNorth,
      DEMO.workerPat,
      DEMO.clinicianNorth,
    ]) {
      const client = await t.signedInAs(email);
      for (const path of [`/trial/screenings/${screeningId}`, '/trial/balance', '/trial']) {
        const page = await client.get(path);
        expect(page.statusCode, `${email} ${path}`).toBe(404);
        expect(page.body).not.toMatch(/Peer support \(the programme\)|Usual care with the workbook/);
      }
      expect((await randomise(client, await consented('north'))).statusCode, email).toBe(404);
    }
  });

  it('answers a form without its token with a 400, and changes nothing', async () => {
    const screeningId = await consented('north');
    expect((await manager.post(`/trial/screenings/${screeningId}/randomise`, {})).statusCode).toBe(400);
    expect(
      (await manager.post(`/trial/screenings/${screeningId}/randomise`, { submissionToken: 'x' })).statusCode,
    ).toBe(400);
    expect(
      (await manager.post(`/trial/screenings/not-an-id/randomise`, { submissionToken: randomUUID() }))
        .statusCode,
    ).toBe(404);
    expect(await randomisationOf(screeningId)).toHaveLength(0);
  });
});

describe('the demo trial', () => {
  it('has everyone who consented and stayed randomised, in both arms, but the last two', async () => {
    const waiting = async () =>
      count(
        t.database,
        sql`SELECT count(*) AS n FROM trial_consents c JOIN trial_screenings s ON s.id = c.screening_id
             WHERE s.trial_id = ${DEMO_TRIAL_ID}
               AND NOT EXISTS (SELECT 1 FROM trial_withdrawals w WHERE w.consent_id = c.id)
               AND NOT EXISTS (SELECT 1 FROM trial_randomisations r WHERE r.consent_id = c.id)`,
      );
    const before = await waiting();
    const made = await seedDemoRandomisations(t.database.db);
    expect(made).toBe(before - LEFT_TO_RANDOMISE);
    expect(await waiting()).toBe(LEFT_TO_RANDOMISE);
    const arms = await queryRows<{ arm: string }>(
      t.database,
      sql`SELECT DISTINCT arm FROM trial_randomisations WHERE trial_id = ${DEMO_TRIAL_ID} ORDER BY arm`,
    );
    expect(arms.map((a) => a.arm)).toEqual(['control', 'intervention']);
  });
});

describe('the trial’s flow diagram', () => {
  it('shows the trial manager the screening log’s figures and each arm’s randomised', async () => {
    const home = await manager.get('/trial');
    expect(home.statusCode).toBe(200);
    const [arms] = await queryRows<{ intervention: number; control: number }>(
      t.database,
      sql`SELECT count(*) FILTER (WHERE arm = 'intervention')::int AS intervention,
                 count(*) FILTER (WHERE arm = 'control')::int AS control
            FROM trial_randomisations WHERE trial_id = ${DEMO_TRIAL_ID}`,
    );
    const svg = /<svg class="app-consort"[\s\S]*?<\/svg>/.exec(home.body)?.[0] ?? '';
    const words = svg.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    expect(words).toContain('Assessed for eligibility');
    expect(words).toContain('Peer support');
    expect(words).toContain(
      `Randomised to it ${String(arms!.intervention)} ${arms!.intervention === 1 ? 'person' : 'people'}`,
    );
    expect(words).toContain(
      `Randomised to it ${String(arms!.control)} ${arms!.control === 1 ? 'person' : 'people'}`,
    );
  });
});
