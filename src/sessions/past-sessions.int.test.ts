/**
 * Recording a session that already happened, in one form: the session, its revision and both
 * audit events are saved together or not at all, with the dose and window rules of booking,
 * the record form's rules, and no reminders (the time has passed).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { participantsDischarged } from '../test-support/factories.ts';
import { plannedFields, sessionsOf as sessionRows } from '../test-support/session-forms.ts';

let t: TestApp;
let pat: TestClient;
let rob: TestClient;
/** Pat's participants made here, most recently discharged first (the first 22 days ago). */
let patsParticipants: string[] = [];

const sessionsOf = (participantId: string) => sessionRows(t, participantId);

const countOf = (query: ReturnType<typeof sql>) => count(t.database, query);

/** The one form as posted: when and how, then what happened. */
function pastForm(iso: string, time = '10:00', extra: Record<string, string | string[]> = {}) {
  return {
    submissionToken: randomUUID(),
    ...plannedFields(iso, time),
    mode: 'in_person',
    place: 'community_venue',
    status: 'attended',
    durationMinutes: '50',
    sections: ['moving_on'],
    storySharing: 'no',
    note: 'Talked about getting back to the allotment',
    followUps: 'Ring the allotment society',
    ...extra,
  };
}

async function recordPast(
  client: TestClient,
  participantId: string,
  fields: Record<string, string | string[]>,
) {
  await client.get(`/participants/${participantId}/sessions/past`);
  return client.post(`/participants/${participantId}/sessions/past`, fields);
}

beforeAll(async () => {
  t = await createTestApp();
  pat = await t.signedInAs(DEMO.workerPat);
  rob = await t.signedInAs(DEMO.workerRob);
  // Pat's own participants for these tests, with no sessions yet: discharged 22, 42 and 62 days
  // ago, and one on 20 July, whose three-month window ended in October.
  patsParticipants = (await participantsDischarged(t, [22, 42, 62, 129], { worker: DEMO.workerPat })).map(
    (made) => made.id,
  );
});
afterAll(async () => {
  await t.close();
});

describe('recording a session that already happened', () => {
  it('is offered from the participant page and the booking page', async () => {
    const participantId = patsParticipants[0]!;
    const href = `/participants/${participantId}/sessions/past`;
    expect((await pat.get(`/participants/${participantId}`)).body).toContain(href);
    expect((await pat.get(`/participants/${participantId}/sessions/new`)).body).toContain(href);
    const form = await pat.get(href);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Record a session that already happened');
    expect(form.body).toContain('0 of 10 sessions attended, 0 planned');
  });

  it('saves the session as booked then recorded, in one go, with no reminders, and counts it', async () => {
    const participantId = patsParticipants[0]!;
    const response = await recordPast(pat, participantId, pastForm('2026-11-24', '14:30'));
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/participants/${participantId}?done=session-recorded`);

    const [session] = await sessionsOf(participantId);
    expect(session).toMatchObject({
      status: 'attended',
      duration_minutes: 50,
      sections: ['moving_on'],
      story_sharing: false,
      note: 'Talked about getting back to the allotment',
      place: 'community_venue',
      version: 2,
    });
    expect(new Date(session!.planned_at).toISOString()).toBe('2026-11-24T14:30:00.000Z');
    expect(session!.recorded_at).not.toBeNull();
    // As booking then recording would leave it: the planned version kept as the revision.
    const revisions = await queryRows<{ version: number; snapshot: { status: string } }>(
      t.database,
      sql`SELECT version, snapshot FROM programme_session_revisions WHERE session_id = ${session!.id}`,
    );
    expect(revisions).toHaveLength(1);
    expect(revisions[0]).toMatchObject({ version: 1, snapshot: { status: 'planned' } });
    for (const action of ['session.booked', 'session.recorded'])
      expect(
        await countOf(
          sql`SELECT count(*) AS n FROM audit_events WHERE action = ${action} AND entity_id = ${session!.id}`,
        ),
      ).toBe(1);
    expect(
      await countOf(sql`SELECT count(*) AS n FROM session_reminders WHERE session_id = ${session!.id}`),
    ).toBe(0);

    const summary = await pat.get(`/participants/${participantId}`);
    expect(summary.body).toContain('1 of 10 sessions attended.');
  });

  it('records a session that did not go ahead, with its reason', async () => {
    const participantId = patsParticipants[1]!;
    const response = await recordPast(
      pat,
      participantId,
      pastForm('2026-11-25', '09:00', {
        mode: 'phone',
        place: '',
        status: 'did_not_attend',
        reason: 'unwell',
      }),
    );
    expect(response.statusCode).toBe(303);
    const [session] = await sessionsOf(participantId);
    expect(session).toMatchObject({
      status: 'did_not_attend',
      status_reason: 'unwell',
      place: null,
      note: null,
    });
  });

  it('refuses a time that has not come yet, saying so, and saves nothing', async () => {
    const participantId = patsParticipants[2]!;
    // The clock says 10:00 on 26 November: 10:30 that day is still to come.
    const response = await recordPast(pat, participantId, pastForm('2026-11-26', '10:30'));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('nhsuk-error-summary');
    expect(response.body).toContain('Date and time of the session must be in the past');
    expect(await sessionsOf(participantId)).toHaveLength(0);
  });

  it('refuses a date before they were discharged', async () => {
    const participantId = patsParticipants[2]!;
    const response = await recordPast(pat, participantId, pastForm('2025-12-01'));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('on or after the day they were discharged');
    expect(await sessionsOf(participantId)).toHaveLength(0);
  });

  it('shows every problem with an empty form, booking and record questions alike, as a 400', async () => {
    const participantId = patsParticipants[2]!;
    await pat.get(`/participants/${participantId}/sessions/past`);
    const response = await pat.post(`/participants/${participantId}/sessions/past`, {
      submissionToken: randomUUID(),
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('nhsuk-error-summary');
    expect(response.body).toContain('Enter the date of the session');
    expect(response.body).toContain('Select how you will meet');
    expect(response.body).toContain('Select what happened');
    expect(await sessionsOf(participantId)).toHaveLength(0);
  });

  it('asks for the record form’s answers when they attended', async () => {
    const participantId = patsParticipants[2]!;
    const response = await recordPast(
      pat,
      participantId,
      pastForm('2026-11-25', '10:00', { durationMinutes: '', storySharing: '' }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter how long the session lasted, in minutes');
    expect(response.body).toContain('Select yes if you shared your own story');
    expect(await sessionsOf(participantId)).toHaveLength(0);
  });

  it('leaves nothing behind when a step fails part-way', async () => {
    const participantId = patsParticipants[2]!;
    const audits = () => countOf(sql`SELECT count(*) AS n FROM audit_events WHERE action = 'session.booked'`);
    const bookedBefore = await audits();
    // The last step of the transaction fails: the session, its revision and the first audit event must go too.
    await t.database.db.execute(sql`CREATE FUNCTION fail_past_record() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.action = 'session.recorded' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$`);
    await t.database.db.execute(
      sql`CREATE TRIGGER fail_past_record BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_past_record()`,
    );
    try {
      const response = await recordPast(pat, participantId, pastForm('2026-11-25'));
      expect(response.statusCode).toBe(500);
    } finally {
      await t.database.db.execute(sql`DROP TRIGGER fail_past_record ON audit_events`);
      await t.database.db.execute(sql`DROP FUNCTION fail_past_record()`);
    }
    expect(await sessionsOf(participantId)).toHaveLength(0);
    expect(
      await countOf(
        sql`SELECT count(*) AS n FROM programme_session_revisions r JOIN programme_sessions s ON s.id = r.session_id WHERE s.participant_id = ${participantId}`,
      ),
    ).toBe(0);
    expect(await audits()).toBe(bookedBefore);
    expect(
      await countOf(sql`SELECT count(*) AS n FROM session_reminders WHERE participant_id = ${participantId}`),
    ).toBe(0);
  });

  it('saves once when the same form is sent twice', async () => {
    const participantId = patsParticipants[2]!;
    const fields = pastForm('2026-11-23');
    await pat.get(`/participants/${participantId}/sessions/past`);
    const first = await pat.post(`/participants/${participantId}/sessions/past`, fields);
    const second = await pat.post(`/participants/${participantId}/sessions/past`, fields);
    expect(first.statusCode).toBe(303);
    expect(second.statusCode).toBe(303);
    expect(await sessionsOf(participantId)).toHaveLength(1);
  });

  it('asks for a confirmation at the session cap, and a reason after the window', async () => {
    const participantId = patsParticipants[1]!;
    // Ten attended sessions reach the cap (the did-not-attend one recorded above does not count).
    for (let day = 1; day <= 10; day += 1) {
      const response = await recordPast(pat, participantId, pastForm(`2026-11-${String(day + 10)}`));
      expect(response.statusCode).toBe(303);
    }
    const refused = await recordPast(pat, participantId, pastForm('2026-11-22'));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Confirm you agreed a session beyond the 10 in the programme');
    expect(refused.body).toContain('sessions are used or booked');
    const confirmed = await recordPast(
      pat,
      participantId,
      pastForm('2026-11-22', '10:00', { confirmOverCap: 'yes' }),
    );
    expect(confirmed.statusCode).toBe(303);
    expect(await sessionsOf(participantId)).toHaveLength(12);
  });

  it('asks why when the session was after the programme window ended', async () => {
    const participantId = patsParticipants[3]!;
    // Discharged on 20 July: the three-month window ended in October.
    const refused = await recordPast(pat, participantId, pastForm('2026-11-25'));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Enter why this session was after the programme window ended');
    expect(await sessionsOf(participantId)).toHaveLength(0);
    const saved = await recordPast(
      pat,
      participantId,
      pastForm('2026-11-25', '10:00', { outsideWindowReason: 'Agreed with supervisor to finish the plan' }),
    );
    expect(saved.statusCode).toBe(303);
    const [session] = await sessionsOf(participantId);
    expect(session!.outside_window_reason).toBe('Agreed with supervisor to finish the plan');
  });

  it('is not open to a worker the participant is not allocated to', async () => {
    const participantId = patsParticipants[2]!;
    const before = (await sessionsOf(participantId)).length;
    expect((await rob.get(`/participants/${participantId}/sessions/past`)).statusCode).toBe(404);
    expect(
      (await rob.post(`/participants/${participantId}/sessions/past`, pastForm('2026-11-20'))).statusCode,
    ).toBe(404);
    expect(await sessionsOf(participantId)).toHaveLength(before);
  });
});
