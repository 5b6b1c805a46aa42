/**
 * Lone working, through HTTP as a peer support worker and a supervisor would, with the clock
 * moved by hand: checking in (validation, double submits), checking out, the overdue alerts
 * (step 1 to the team's supervisors once, step 2 to the coordinators after the escalation
 * time, none after check-out or acknowledgement, once even when runs overlap), who may do
 * what, the audit trail, and hostile input.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { saveAtOnce } from '../test-support/at-once.ts';
import { aParticipant, aSession, aWorker, type MadeParticipant } from '../test-support/factories.ts';
import { MINUTE } from '../platform/clock.ts';
import { POSTED_FIELDS } from './check-in.form.ts';

let t: TestApp;
/** A participant of Pat's, made for these tests. */
let patsParticipant: MadeParticipant;

interface VisitRow {
  id: string;
  place: string;
  participant_id: string | null;
  expected_end_at: Date | string;
  checked_out_at: Date | string | null;
  acknowledged_at: Date | string | null;
}

const visitsAt = (place: string) =>
  queryRows<VisitRow>(t.database, sql`SELECT * FROM lone_working_visits WHERE place = ${place}`);
const allVisits = () => count(t.database, sql`SELECT count(*) AS n FROM lone_working_visits`);
/** Alert emails about the visit at `place`, as [recipient] in the order sent. */
const alertsAbout = async (place: string) =>
  (
    await queryRows<{ recipient: string }>(
      t.database,
      sql`SELECT recipient FROM notifications WHERE template = 'lone_working_alert' AND personalisation->>'place' = ${place} ORDER BY created_at, recipient`,
    )
  ).map((row) => row.recipient);
const stepsAbout = async (place: string) =>
  (
    await queryRows<{ step: number; step_kind: string }>(
      t.database,
      sql`SELECT a.step, a.step_kind FROM lone_working_alerts a JOIN lone_working_visits v ON v.id = a.visit_id WHERE v.place = ${place} ORDER BY a.step`,
    )
  ).map((row) => `${String(row.step)}:${row.step_kind}`);

/** The check-in form as posted, ending at `expectedEnd` (UK time today). */
const checkInFields = (place: string, expectedEnd: string, extra: Record<string, string> = {}) => ({
  submissionToken: randomUUID(),
  place,
  participantId: '',
  expectedEnd,
  ...extra,
});

async function checkIn(client: TestClient, fields: Record<string, string | string[]>) {
  await client.get('/lone-working');
  return client.post('/lone-working/check-in', fields);
}

/** A fresh session: the clock moves past the 30-minute idle time between steps. */
const pat = () => t.signedInAs(DEMO.workerPat);
const sendDue = () => t.deps.services.loneWorkingAlerts.sendDue();

beforeAll(async () => {
  t = await createTestApp();
  patsParticipant = await aParticipant(t, { worker: DEMO.workerPat });
});
// Every test starts at 10:00 UK time, whichever ran before it.
beforeEach(() => {
  t.clock.set(TEST_NOW);
});
afterAll(async () => {
  await t.close();
});

describe('checking in and out', () => {
  it('shows an error summary and saves nothing when where or the end time is missing or wrong', async () => {
    const client = await pat();
    const before = await allVisits();
    const empty = await checkIn(client, checkInFields('', ''));
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('There is a problem');
    expect(empty.body).toContain('href="#place"');
    expect(empty.body).toContain('Enter where you are going');
    expect(empty.body).toContain('Enter the time you expect to finish');
    // The test clock is 10:00 in the UK.
    const past = await checkIn(client, checkInFields('12 High Street', '09:30'));
    expect(past.statusCode).toBe(400);
    expect(past.body).toContain('must be later than now');
    expect(past.body).toContain('value="12 High Street"');
    const tooLate = await checkIn(client, checkInFields('12 High Street', '22:01'));
    expect(tooLate.body).toContain('must be later than now and within 12 hours');
    const notATime = await checkIn(client, checkInFields('12 High Street', '25:00'));
    expect(notATime.body).toContain('Enter a real time');
    const notTheirs = await checkIn(
      client,
      checkInFields('12 High Street', '11:00', { participantId: randomUUID() }),
    );
    expect(notTheirs.statusCode).toBe(400);
    expect(notTheirs.body).toContain('Select one of the people you support');
    expect(await allVisits()).toBe(before);
  });

  it('checks in once even when the form is sent twice, audited, and checks out', async () => {
    const client = await pat();
    const form = await client.get('/lone-working/check-in');
    expect(form.body).toContain(`value="${patsParticipant.id}"`);
    const fields = checkInFields('Flat 3, 9 Elm Road', '11:00', { participantId: patsParticipant.id });
    const first = await checkIn(client, fields);
    expect(first.statusCode).toBe(303);
    expect(first.headers.location).toBe('/lone-working?done=checked-in');
    expect((await client.post('/lone-working/check-in', fields)).statusCode).toBe(303);
    const [visit, ...more] = await visitsAt('Flat 3, 9 Elm Road');
    expect(more).toHaveLength(0);
    expect(visit!.participant_id).toBe(patsParticipant.id);
    expect(new Date(visit!.expected_end_at).toISOString()).toBe('2026-11-26T11:00:00.000Z');

    const page = await client.get('/lone-working');
    expect(page.body).toContain('Flat 3, 9 Elm Road');
    expect(page.body).toContain(`/lone-working/${visit!.id}/check-out`);
    // Checked in already: the check-in page sends them back to check out first.
    expect((await client.get('/lone-working/check-in')).statusCode).toBe(303);
    const second = await checkIn(client, checkInFields('Somewhere else', '12:00'));
    expect(second.statusCode).toBe(400);
    expect(second.body).toContain('You are already checked in');

    // Another worker cannot check Pat out.
    const nat = await t.signedInAs(DEMO.workerNat);
    await nat.get('/lone-working');
    expect((await nat.post(`/lone-working/${visit!.id}/check-out`, {})).statusCode).toBe(404);

    t.clock.advance(20 * MINUTE);
    const out = await client.post(`/lone-working/${visit!.id}/check-out`, {});
    expect(out.statusCode).toBe(303);
    expect((await client.post(`/lone-working/${visit!.id}/check-out`, {})).statusCode).toBe(303);
    const [after] = await visitsAt('Flat 3, 9 Elm Road');
    expect(new Date(after!.checked_out_at!).toISOString()).toBe('2026-11-26T10:20:00.000Z');
    const audits = await queryRows<{ action: string }>(
      t.database,
      sql`SELECT action FROM audit_events WHERE entity_id = ${visit!.id} ORDER BY seq`,
    );
    expect(audits.map((a) => a.action)).toEqual(['lone_working.checked_in', 'lone_working.checked_out']);
    const shown = await client.get('/lone-working?done=checked-out');
    expect(shown.body).toContain('You are not checked in');
    expect(shown.body).toContain('id="past-visits"');
  });
});

describe('starting from the booked session', () => {
  it('fills in the place and participant from a home visit booked for about now, audited as a read', async () => {
    // Nothing booked for about now: an empty form.
    const empty = await (await pat()).get('/lone-working/check-in');
    expect(empty.body).not.toContain('Filled in from your session');
    expect(empty.body).toMatch(/id="place" name="place" type="text"(?![^>]*value="[^"])/);

    // A home visit at 11:30 today to someone of Pat's made for this test.
    const visited = await aParticipant(t, {
      worker: DEMO.workerPat,
      with: { address: '3 Mill Lane, Leeds', postcode: 'LS2 7AB' },
    });
    const session = await aSession(t, visited, {
      on: '2026-11-26',
      at: [11, 30],
      with: { mode: 'in_person', place: 'home' },
    });
    try {
      const form = await (await pat()).get('/lone-working/check-in');
      expect(form.body).toContain('value="3 Mill Lane, Leeds, LS2 7AB"');
      expect(form.body).toContain('Filled in from your session booked for 11:30');
      expect(form.body).toMatch(new RegExp(`value="${visited.id}" selected`));
      const reads = await queryRows(
        t.database,
        sql`SELECT 1 FROM audit_events WHERE action = 'participant.viewed' AND entity_id = ${visited.id} AND detail->>'sessionId' = ${session.id}`,
      );
      expect(reads).toHaveLength(1);
    } finally {
      // Pat's day has nothing booked for about now again, for the tests that follow.
      await t.database.db.execute(sql`DELETE FROM programme_sessions WHERE id = ${session.id}`);
    }
  });
});

describe('overdue alerts', () => {
  it('alerts the supervisors once at the grace time, then the coordinators after the escalation time, without participant names', async () => {
    const place = 'Alerts: 1 Oak Lane';
    expect(
      (await checkIn(await pat(), checkInFields(place, '10:30', { participantId: patsParticipant.id })))
        .statusCode,
    ).toBe(303);

    t.clock.set('2026-11-26T10:44:59Z');
    await sendDue();
    expect(await alertsAbout(place)).toEqual([]);

    // 15 minutes after the expected end: step 1, to the North team's supervisor, exactly once.
    t.clock.set('2026-11-26T10:45:00Z');
    await Promise.all([sendDue(), sendDue()]);
    await sendDue();
    expect(await alertsAbout(place)).toEqual([DEMO.supervisorNorth]);
    expect(await stepsAbout(place)).toEqual(['1:supervisor']);

    // Overlapping runs at the next step send it once too.
    t.clock.set('2026-11-26T11:14:59Z');
    await sendDue();
    expect(await alertsAbout(place)).toEqual([DEMO.supervisorNorth]);
    t.clock.set('2026-11-26T11:15:00Z');
    await Promise.all([sendDue(), sendDue(), sendDue()]);
    t.clock.set('2026-11-26T13:00:00Z');
    await sendDue();
    expect(await alertsAbout(place)).toEqual([DEMO.supervisorNorth, DEMO.coordinator]);
    expect(await stepsAbout(place)).toEqual(['1:supervisor', '2:coordinator']);

    const [message] = await queryRows<{ personalisation: Record<string, string> }>(
      t.database,
      sql`SELECT personalisation FROM notifications WHERE template = 'lone_working_alert' AND personalisation->>'place' = ${place} LIMIT 1`,
    );
    expect(message!.personalisation).toMatchObject({
      workerName: 'Pat Peer',
      place,
      expectedEnd: '10:30 on Thursday 26 November',
      link: '/lone-working/overdue',
    });
    const text = JSON.stringify(message!.personalisation);
    expect(text).not.toContain(patsParticipant.givenName);
    expect(text).not.toContain(patsParticipant.familyName);
    const audits = await count(
      t.database,
      sql`SELECT count(*) AS n FROM audit_events a JOIN lone_working_visits v ON v.id::text = a.entity_id::text WHERE v.place = ${place} AND a.action = 'lone_working.alerted'`,
    );
    expect(audits).toBe(2);

    // The supervisor records that Pat is safe; the visit leaves the list.
    const supervisor = await t.signedInAs(DEMO.supervisorNorth);
    const overdue = await supervisor.get('/lone-working/overdue');
    expect(overdue.statusCode).toBe(200);
    expect(overdue.body).toContain(place);
    const [visit] = await visitsAt(place);
    const acknowledged = await supervisor.post(`/lone-working/${visit!.id}/acknowledge`, {
      note: 'Spoke to them, they are safe',
    });
    expect(acknowledged.statusCode).toBe(303);
    expect((await supervisor.get('/lone-working/overdue')).body).not.toContain(place);
    const client = await pat();
    await client.get('/lone-working');
    expect((await client.post(`/lone-working/${visit!.id}/check-out`, {})).statusCode).toBe(303);
  });

  it('sends nothing for a visit checked out before the grace time ends', async () => {
    const place = 'Checked out: 2 Ash Close';
    const client = await pat();
    await checkIn(client, checkInFields(place, '10:30'));
    const [visit] = await visitsAt(place);
    t.clock.set('2026-11-26T10:40:00Z');
    const later = await pat();
    await later.get('/lone-working');
    expect((await later.post(`/lone-working/${visit!.id}/check-out`, {})).statusCode).toBe(303);
    t.clock.set('2026-11-26T12:00:00Z');
    await sendDue();
    expect(await alertsAbout(place)).toEqual([]);
  });

  it('stops after step 1 once a supervisor acknowledges, audited, and refuses an empty note', async () => {
    const place = 'Acknowledged: 3 Birch Way';
    await checkIn(await pat(), checkInFields(place, '10:30'));
    const [visit] = await visitsAt(place);
    t.clock.set('2026-11-26T10:50:00Z');
    await sendDue();
    expect(await alertsAbout(place)).toEqual([DEMO.supervisorNorth]);

    const supervisor = await t.signedInAs(DEMO.supervisorNorth);
    const page = await supervisor.get('/lone-working/overdue');
    expect(page.body).toContain(place);
    expect(page.body).toContain('To their supervisors');
    const empty = await supervisor.post(`/lone-working/${visit!.id}/acknowledge`, { note: '  ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('There is a problem');
    expect(empty.body).toContain(`href="#note-${visit!.id}"`);
    const done = await supervisor.post(`/lone-working/${visit!.id}/acknowledge`, {
      note: 'Spoke to them, they are safe',
    });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/lone-working/overdue?done=acknowledged');
    // A second acknowledgement changes nothing.
    const again = await supervisor.post(`/lone-working/${visit!.id}/acknowledge`, { note: 'Again' });
    expect(again.headers.location).toBe('/lone-working/overdue?done=already');
    const [row] = await queryRows<{ acknowledgement_note: string }>(
      t.database,
      sql`SELECT acknowledgement_note FROM lone_working_visits WHERE id = ${visit!.id}`,
    );
    expect(row!.acknowledgement_note).toBe('Spoke to them, they are safe');
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE entity_id = ${visit!.id} AND action = 'lone_working.acknowledged'`,
      ),
    ).toBe(1);

    t.clock.set('2026-11-26T12:00:00Z');
    await sendDue();
    expect(await alertsAbout(place)).toEqual([DEMO.supervisorNorth]);
    // The worker can still check out afterwards.
    const client = await pat();
    await client.get('/lone-working');
    expect((await client.post(`/lone-working/${visit!.id}/check-out`, {})).statusCode).toBe(303);
  });
});

describe('two people answering one overdue visit at the same moment', () => {
  const acknowledgements = (visitId: string) =>
    count(
      t.database,
      sql`SELECT count(*) AS n FROM audit_events WHERE entity_id = ${visitId} AND action = 'lone_working.acknowledged'`,
    );

  it('record it safe once and tell the other it already was, never a server error', async () => {
    // A visit has no version to compare: the one acknowledgement is the row's state, and the
    // second supervisor is told someone else got there first, with their note not saved.
    for (let round = 0; round < 3; round++) {
      t.clock.set(TEST_NOW);
      const place = `Both at once ${String(round)}: 5 Elm Road`;
      await checkIn(await pat(), checkInFields(place, '10:30'));
      const [visit] = await visitsAt(place);
      t.clock.set('2026-11-26T10:50:00Z');
      const supervisors = await Promise.all([
        t.signedInAs(DEMO.supervisorNorth),
        t.signedInAs(DEMO.coordinator),
      ]);
      await Promise.all(supervisors.map((supervisor) => supervisor.get('/lone-working/overdue')));
      const notes = ['Rang them: safe', 'Their partner says they are home'];
      const race = await saveAtOnce(
        supervisors.map(
          (supervisor, i) => () =>
            supervisor.post(`/lone-working/${visit!.id}/acknowledge`, { note: notes[i]! }),
        ),
      );
      expect(race.statuses, race.said).toEqual([303, 303]);
      expect(race.said).toContain('done=already');
      expect(race.said).toContain('done=acknowledged');
      const [row] = await queryRows<{ acknowledgement_note: string }>(
        t.database,
        sql`SELECT acknowledgement_note FROM lone_working_visits WHERE id = ${visit!.id}`,
      );
      expect(notes).toContain(row!.acknowledgement_note);
      expect(await acknowledgements(visit!.id)).toBe(1);
      // Pat finishes the visit, so the next round can check in again.
      const worker = await pat();
      await worker.get('/lone-working');
      expect((await worker.post(`/lone-working/${visit!.id}/check-out`, {})).statusCode).toBe(303);
    }
  });

  it('check the worker out while a supervisor records them safe, both answered, neither a server error', async () => {
    for (let round = 0; round < 3; round++) {
      t.clock.set(TEST_NOW);
      const place = `Out and safe at once ${String(round)}: 7 Elm Road`;
      const worker = await pat();
      await checkIn(worker, checkInFields(place, '10:30'));
      const [visit] = await visitsAt(place);
      t.clock.set('2026-11-26T10:50:00Z');
      const [freshWorker, supervisor] = await Promise.all([pat(), t.signedInAs(DEMO.supervisorNorth)]);
      await Promise.all([freshWorker.get('/lone-working'), supervisor.get('/lone-working/overdue')]);
      const race = await saveAtOnce([
        () => freshWorker.post(`/lone-working/${visit!.id}/check-out`, {}),
        () => supervisor.post(`/lone-working/${visit!.id}/acknowledge`, { note: 'Rang them: safe' }),
      ]);
      expect(race.statuses, race.said).toEqual([303, 303]);
      const [row] = await visitsAt(place);
      expect(row!.checked_out_at).not.toBeNull();
      expect(await acknowledgements(visit!.id)).toBeLessThanOrEqual(1);
      expect(
        await count(
          t.database,
          sql`SELECT count(*) AS n FROM audit_events WHERE entity_id = ${visit!.id} AND action = 'lone_working.checked_out'`,
        ),
      ).toBe(1);
    }
  });
});

describe('who may do what', () => {
  it('lets only peer support workers check in, and only supervisors and the coordinator see overdue visits', async () => {
    for (const email of [DEMO.clinicianNorth, DEMO.supervisorNorth, DEMO.coordinator, DEMO.trialManager]) {
      const client = await t.signedInAs(email);
      expect((await client.get('/lone-working')).statusCode).toBe(404);
      expect((await client.get('/lone-working/check-in')).statusCode).toBe(404);
      await client.get('/help');
      const before = await allVisits();
      const posted = await client.post('/lone-working/check-in', checkInFields('Not allowed', '11:00'));
      expect(posted.statusCode).toBe(404);
      expect(await allVisits()).toBe(before);
    }
    for (const email of [DEMO.workerPat, DEMO.clinicianNorth, DEMO.analyst]) {
      const client = await t.signedInAs(email);
      expect((await client.get('/lone-working/overdue')).statusCode).toBe(404);
    }
    const coordinator = await t.signedInAs(DEMO.coordinator);
    const empty = await coordinator.get('/lone-working/overdue');
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('No visits are overdue');
    // Only a worker themselves, and nobody else, may acknowledge by posting to a visit they cannot oversee.
    const place = 'Access: 4 Pine Road';
    const patClient = await pat();
    await checkIn(patClient, checkInFields(place, '10:30'));
    const [visit] = await visitsAt(place);
    t.clock.set('2026-11-26T10:40:00Z');
    const clinician = await t.signedInAs(DEMO.clinicianNorth);
    await clinician.get('/help');
    expect((await clinician.post(`/lone-working/${visit!.id}/acknowledge`, { note: 'No' })).statusCode).toBe(
      404,
    );
    const [row] = await visitsAt(place);
    expect(row!.acknowledged_at).toBeNull();
    const patAgain = await pat();
    await patAgain.get('/lone-working');
    await patAgain.post(`/lone-working/${visit!.id}/check-out`, {});
  });

  it('answers hostile input with 4xx and saves nothing', async () => {
    const client = await pat();
    const before = await allVisits();
    await client.get('/lone-working');
    const attempts: Record<string, string | string[]>[] = [
      { submissionToken: 'nope', place: 'x', expectedEnd: '11:00' },
      { submissionToken: randomUUID(), place: ['a', 'b'], expectedEnd: '11:00' },
      { submissionToken: randomUUID(), place: 'x'.repeat(301), expectedEnd: '11:00' },
      { submissionToken: randomUUID(), place: 'x'.repeat(300_000), expectedEnd: '11:00' },
      { submissionToken: randomUUID(), place: 'nul \u0000', expectedEnd: '11:00' },
      { submissionToken: randomUUID(), place: 'x', expectedEnd: ['11:00', '12:00'] },
      { submissionToken: randomUUID(), place: 'x', expectedEnd: '11:00', participantId: 'not-a-uuid' },
      { submissionToken: randomUUID(), place: 'x', expectedEnd: '11:00', participantId: ['a'] },
    ];
    for (const fields of attempts) {
      const response = await client.post('/lone-working/check-in', fields);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    }
    expect(await allVisits()).toBe(before);
    expect((await client.post('/lone-working/not-a-uuid/check-out', {})).statusCode).toBe(404);
    expect((await client.post(`/lone-working/${randomUUID()}/check-out`, {})).statusCode).toBe(404);
    const supervisor = await t.signedInAs(DEMO.supervisorNorth);
    await supervisor.get('/lone-working/overdue');
    for (const note of [['a', 'b'], 'x'.repeat(1001), 'nul \u0000']) {
      const response = await supervisor.post(`/lone-working/${randomUUID()}/acknowledge`, { note });
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
    }
    expect(
      (await supervisor.post(`/lone-working/${randomUUID()}/acknowledge`, { note: 'ok' })).statusCode,
    ).toBe(404);
  });

  it('never answers the check-in form with a server error, and saves only complete valid visits', async () => {
    // A worker of its own: a valid form checks them in, and they stay checked in, so Pat is
    // left free for the other tests whichever order they run in.
    const client = await t.signedInAs((await aWorker(t)).email);
    await client.get('/lone-working/check-in');
    const hostileValue = fc.oneof(
      fc.string({ maxLength: 50 }),
      fc.uuid(),
      fc.constantFrom('', ' ', '11:00', '23:59', '00:00', '12:60', '<script>', '\u0000', 'x'.repeat(5000)),
      fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom(...POSTED_FIELDS), hostileValue), async (fields) => {
        const before = await allVisits();
        const response = await client.post('/lone-working/check-in', fields);
        expect([303, 400]).toContain(response.statusCode);
        expect(await allVisits()).toBe(response.statusCode === 303 ? before + 1 : before);
      }),
      { numRuns: 40 },
    );
  });
});
