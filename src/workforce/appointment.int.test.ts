/**
 * Appointment against the essential criteria, through HTTP: a vacancy and its panel; scores
 * each member submits once, hidden from them until theirs are in; the chair's decision only
 * when everyone has scored; the appointed candidate's staff account linked to their record;
 * unsuccessful candidates deleted after the retention period, audited; who may see what; and
 * hostile input.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { aWorker } from '../test-support/factories.ts';
import { hostileForm } from '../test-support/hostile-form.ts';
import { DAY } from '../platform/clock.ts';
import { addDays, ukToday } from '../platform/calendar/uk-time.ts';
import { loadAppointmentCriteria, parseAppointmentCriteria } from './appointment-criteria.ts';

let t: TestApp;
let coordinator: TestClient;
const criteria = loadAppointmentCriteria();

const dateFields = (name: string, iso: string) => {
  const [year, month, day] = iso.split('-');
  return { [`${name}[day]`]: day!, [`${name}[month]`]: month!, [`${name}[year]`]: year! };
};
const allScores = (score: string) =>
  Object.fromEntries(
    criteria.criteria.flatMap((c) => [
      [`score_${c.key}`, score],
      [`note_${c.key}`, ''],
    ]),
  );

async function openVacancy(memberIds: string[], chairId: string): Promise<string> {
  await coordinator.get('/appointments/new');
  const teams = await queryRows<{ id: string }>(
    t.database,
    sql`SELECT id FROM crisis_teams WHERE name LIKE 'North%' LIMIT 1`,
  );
  const response = await coordinator.post('/appointments/new', {
    submissionToken: randomUUID(),
    crisisTeamId: teams[0]!.id,
    title: 'Peer support worker',
    hoursPerWeek: '22.5',
    ...dateFields('closingOn', addDays(ukToday(t.clock.now()), 14)),
    memberIds,
    chairId,
  });
  expect(response.statusCode).toBe(303);
  return response.headers.location!.split('?')[0]!.split('/').pop()!;
}

async function addCandidate(vacancyId: string, email: string): Promise<string> {
  await coordinator.get(`/appointments/${vacancyId}/candidates/new`);
  const response = await coordinator.post(`/appointments/${vacancyId}/candidates/new`, {
    submissionToken: randomUUID(),
    fullName: 'Robin Candidate',
    email,
    phone: '',
  });
  expect(response.statusCode).toBe(303);
  const [row] = await queryRows<{ id: string }>(
    t.database,
    sql`SELECT id FROM candidates WHERE email = ${email}`,
  );
  return row!.id;
}

beforeAll(async () => {
  t = await createTestApp();
});
beforeEach(async () => {
  t.clock.set(TEST_NOW);
  coordinator = await t.signedInAs(DEMO.coordinator);
});
afterAll(async () => {
  await t.close();
});

describe('an interview panel', () => {
  it('scores independently, decides only when all have scored, and the appointed candidate’s account is linked', async () => {
    const carol = await t.staffId(DEMO.coordinator);
    const sunita = await t.staffId(DEMO.supervisorNorth);
    const peer = await aWorker(t, { team: 'north' });
    const vacancyId = await openVacancy([carol, sunita, peer.id], carol);
    const email = `robin.${randomUUID().slice(0, 8)}@example.com`;
    const candidateId = await addCandidate(vacancyId, email);
    const url = `/appointments/candidates/${candidateId}`;
    const vacancyPage = await coordinator.get(`/appointments/${vacancyId}`);
    expect(vacancyPage.statusCode).toBe(200);
    expect(vacancyPage.body).toContain('22.5');
    expect(vacancyPage.body).toContain('0 of 3 scored');

    const sunitaClient = await t.signedInAs(DEMO.supervisorNorth);
    const peerClient = await t.signedInAs(peer.email);
    // Sunita scores; Pat-like peer cannot yet see her scores.
    await sunitaClient.get(url);
    expect(
      (
        await sunitaClient.post(`${url}/scores`, {
          ...allScores('2'),
          [`note_${criteria.criteria[0]!.key}`]: 'SUNITA-NOTE',
        })
      ).statusCode,
    ).toBe(303);
    const before = await peerClient.get(url);
    expect(before.body).toContain('Submit my scores');
    expect(before.body).not.toContain('The panel’s scores');
    expect(before.body).not.toContain("The panel's scores");
    expect(before.body).not.toContain('SUNITA-NOTE');
    // A half-filled form names every criterion still to score.
    const half = await peerClient.post(`${url}/scores`, { [`score_${criteria.criteria[0]!.key}`]: '3' });
    expect(half.statusCode).toBe(400);
    expect(half.body).toContain(`Score: ${criteria.criteria[1]!.title}`);
    expect((await peerClient.post(`${url}/scores`, allScores('3'))).statusCode).toBe(303);
    const after = await peerClient.get(url);
    expect(after.body).toContain("The panel's scores");
    expect(after.body).toContain('Sunita Supervisor: <strong>Good evidence</strong>');
    // Submitted once: a second submission changes nothing.
    await peerClient.post(`${url}/scores`, allScores('0'));
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM panel_scores WHERE candidate_id = ${candidateId} AND score = 0`,
      ),
    ).toBe(0);

    // The chair cannot decide before scoring themselves.
    const early = await coordinator.post(`${url}/decision`, { outcome: 'appointed', reasons: 'Strong' });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('Only the chair records the decision, once every panel member has scored');
    await coordinator.get(url);
    await coordinator.post(`${url}/scores`, allScores('3'));
    expect(
      (await sunitaClient.post(`${url}/decision`, { outcome: 'appointed', reasons: 'x' })).statusCode,
    ).toBe(400);
    expect(
      (
        await coordinator.post(`${url}/decision`, {
          outcome: 'appointed',
          reasons: 'Strong on every requirement',
        })
      ).statusCode,
    ).toBe(303);
    const decided = await coordinator.get(url);
    expect(decided.body).toContain('Appointed on');
    expect(decided.body).toContain(`/admin/staff/new?candidate=${candidateId}`);

    const form = await coordinator.get(`/admin/staff/new?candidate=${candidateId}`);
    expect(form.body).toContain(`value="${email}"`);
    const team = (
      await queryRows<{ id: string }>(
        t.database,
        sql`SELECT id FROM crisis_teams WHERE name LIKE 'North%' LIMIT 1`,
      )
    )[0]!.id;
    const created = await coordinator.post('/admin/staff/new', {
      fullName: 'Robin Candidate',
      email,
      roles: ['peer_worker'],
      crisisTeamId: team,
      caseloadLimit: '12',
      temporaryPassword: 'lantern-meadow-compass-71',
    });
    expect(created.statusCode).toBe(303);
    const [linked] = await queryRows<{ staff_id: string | null }>(
      t.database,
      sql`SELECT staff_id FROM candidates WHERE id = ${candidateId}`,
    );
    expect(linked?.staff_id).toBe(created.headers.location!.split('/').pop()!.split('?')[0]);
    const actions = await queryRows<{ action: string }>(
      t.database,
      sql`SELECT action FROM audit_events WHERE entity_id = ${candidateId} ORDER BY seq`,
    );
    expect(actions.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'appointment.candidate_added',
        'appointment.scored',
        'appointment.decided',
        'appointment.viewed',
      ]),
    );
  });

  it('is seen by the panel and the coordinator only', async () => {
    const carol = await t.staffId(DEMO.coordinator);
    const sunita = await t.staffId(DEMO.supervisorNorth);
    const vacancyId = await openVacancy([carol, sunita], carol);
    const candidateId = await addCandidate(vacancyId, `only.${randomUUID().slice(0, 8)}@example.com`);
    for (const email of [DEMO.workerRob, DEMO.supervisorSouth, DEMO.clinicianNorth]) {
      const client = await t.signedInAs(email);
      expect((await client.get(`/appointments/${vacancyId}`)).statusCode, email).toBe(404);
      expect((await client.get(`/appointments/candidates/${candidateId}`)).statusCode, email).toBe(404);
    }
    for (const email of [DEMO.trialManager, DEMO.assessor, DEMO.analyst]) {
      expect((await (await t.signedInAs(email)).get('/appointments')).statusCode, email).toBe(404);
    }
    expect((await (await t.signedInAs(DEMO.supervisorNorth)).get('/appointments/new')).statusCode).toBe(404);
  });
});

describe('unsuccessful candidates', () => {
  it('are deleted with their scores after the retention period, audited; the appointed are kept', async () => {
    const carol = await t.staffId(DEMO.coordinator);
    const sunita = await t.staffId(DEMO.supervisorNorth);
    const vacancyId = await openVacancy([carol, sunita], carol);
    const unsuccessful = await addCandidate(vacancyId, `gone.${randomUUID().slice(0, 8)}@example.com`);
    const appointed = await addCandidate(vacancyId, `kept.${randomUUID().slice(0, 8)}@example.com`);
    const sunitaClient = await t.signedInAs(DEMO.supervisorNorth);
    for (const id of [unsuccessful, appointed]) {
      await coordinator.get(`/appointments/candidates/${id}`);
      await coordinator.post(`/appointments/candidates/${id}/scores`, allScores('1'));
      await sunitaClient.get(`/appointments/candidates/${id}`);
      await sunitaClient.post(`/appointments/candidates/${id}/scores`, allScores('1'));
    }
    await coordinator.post(`/appointments/candidates/${unsuccessful}/decision`, {
      outcome: 'not_appointed',
      reasons: 'Not yet',
    });
    await coordinator.post(`/appointments/candidates/${appointed}/decision`, {
      outcome: 'appointed',
      reasons: 'Yes',
    });
    const retention = () => t.deps.services.appointments.applyRetention();

    t.clock.set(new Date(Date.parse(TEST_NOW) + 150 * DAY));
    await retention();
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM candidates WHERE id = ${unsuccessful}`),
    ).toBe(1);
    t.clock.set(new Date(Date.parse(TEST_NOW) + 190 * DAY));
    const { deleted } = await retention();
    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(
      await count(t.database, sql`SELECT count(*) AS n FROM candidates WHERE id = ${unsuccessful}`),
    ).toBe(0);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM panel_scores WHERE candidate_id = ${unsuccessful}`,
      ),
    ).toBe(0);
    expect(await count(t.database, sql`SELECT count(*) AS n FROM candidates WHERE id = ${appointed}`)).toBe(
      1,
    );
    const [event] = await queryRows<{ detail: { candidateIds: string[] } }>(
      t.database,
      sql`SELECT detail FROM audit_events WHERE action = 'appointment.candidates_deleted' ORDER BY seq DESC LIMIT 1`,
    );
    expect(event?.detail.candidateIds).toContain(unsuccessful);
  });
});

describe('the criteria', () => {
  it('refuse a criterion asking for a clinical qualification or registration', () => {
    const base = {
      scale: [
        { value: 0, label: 'No' },
        { value: 1, label: 'Yes' },
      ],
    };
    expect(() =>
      parseAppointmentCriteria({
        ...base,
        criteria: [{ key: 'nursing', essential: true, title: 'A nursing qualification' }],
      }),
    ).toThrow(/never asked for one/);
    expect(() =>
      parseAppointmentCriteria({
        ...base,
        criteria: [{ key: 'nmc', essential: false, title: 'Registered with the NMC' }],
      }),
    ).toThrow(/never asked for one/);
    expect(criteria.criteria.filter((c) => c.essential)).toHaveLength(6);
  });
});

describe('hostile input', () => {
  it('never answers the vacancy, candidate, scores or decision forms with a server error', async () => {
    const carol = await t.staffId(DEMO.coordinator);
    const sunita = await t.staffId(DEMO.supervisorNorth);
    const vacancyId = await openVacancy([carol, sunita], carol);
    const candidateId = await addCandidate(vacancyId, `hostile.${randomUUID().slice(0, 8)}@example.com`);
    const scoreFields = criteria.criteria.flatMap((c) => [`score_${c.key}`, `note_${c.key}`]);
    await fc.assert(
      fc.asyncProperty(
        hostileForm([
          'submissionToken',
          'crisisTeamId',
          'title',
          'hoursPerWeek',
          'closingOn[day]',
          'memberIds',
          'chairId',
        ]),
        hostileForm(['submissionToken', 'fullName', 'email', 'phone']),
        hostileForm(scoreFields),
        hostileForm(['outcome', 'reasons']),
        async (vacancy, candidate, scores, decision) => {
          expect([303, 400]).toContain((await coordinator.post('/appointments/new', vacancy)).statusCode);
          expect([303, 400]).toContain(
            (await coordinator.post(`/appointments/${vacancyId}/candidates/new`, candidate)).statusCode,
          );
          expect([303, 400]).toContain(
            (await coordinator.post(`/appointments/candidates/${candidateId}/scores`, scores)).statusCode,
          );
          expect([303, 400]).toContain(
            (await coordinator.post(`/appointments/candidates/${candidateId}/decision`, decision)).statusCode,
          );
        },
      ),
      { numRuns: 25 },
    );
    expect((await coordinator.get('/appointments/not-an-id')).statusCode).toBe(404);
    expect((await coordinator.get(`/appointments/candidates/${randomUUID()}`)).statusCode).toBe(404);
  });
});
