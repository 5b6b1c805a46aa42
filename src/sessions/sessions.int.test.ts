/**
 * Booking sessions and recording what happened, through HTTP as a peer support worker would:
 * the dose and window rules, every status, history on edit, stale edits, double submits,
 * access for other people, and the audit trail.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { hostileForm } from '../test-support/hostile-form.ts';
import { formatDateTime } from '../platform/calendar/uk-format.ts';
import { POSTED_FIELDS } from './session.form.ts';
import { aParticipant, participantsDischarged } from '../test-support/factories.ts';
import { plannedFields, sessionsOf as sessionRows } from '../test-support/session-forms.ts';

let t: TestApp;
let pat: TestClient;
let rob: TestClient;
let coordinator: TestClient;
/** Pat's participants made here, most recently discharged first (the first 22 days ago). */
let patsParticipants: string[] = [];

const sessionsOf = (participantId: string) => sessionRows(t, participantId);

const auditCount = (action: string, entityId: string) =>
  count(
    t.database,
    sql`SELECT count(*) AS n FROM audit_events WHERE action = ${action} AND entity_id = ${entityId}`,
  );

/** A booking form as posted: the date as three boxes, the time as HH:MM. */
function booking(iso: string, time = '10:00', extra: Record<string, string> = {}): Record<string, string> {
  return {
    submissionToken: randomUUID(),
    ...plannedFields(iso, time),
    mode: 'phone',
    ...extra,
  };
}

async function book(participantId: string, fields: Record<string, string>) {
  await pat.get(`/participants/${participantId}/sessions/new`);
  return pat.post(`/participants/${participantId}/sessions/new`, fields);
}

/** Books a session yesterday at 10:00 and returns its id and version. */
async function pastSession(participantId: string): Promise<{ id: string; version: number }> {
  const before = new Set((await sessionsOf(participantId)).map((s) => s.id));
  const response = await book(participantId, booking('2026-11-25'));
  expect(response.statusCode).toBe(303);
  const created = (await sessionsOf(participantId)).find((s) => !before.has(s.id));
  return { id: created!.id, version: created!.version };
}

async function record(sessionId: string, fields: Record<string, string | string[]>) {
  await pat.get(`/sessions/${sessionId}/record`);
  return pat.post(`/sessions/${sessionId}/record`, fields);
}

beforeAll(async () => {
  t = await createTestApp();
  pat = await t.signedInAs(DEMO.workerPat);
  rob = await t.signedInAs(DEMO.workerRob);
  coordinator = await t.signedInAs(DEMO.coordinator);
  // Pat's own participants for these tests, with no sessions yet: discharged 22, 42, 62 and 82
  // days ago (all still in their programme window).
  patsParticipants = (await participantsDischarged(t, [22, 42, 62, 82], { worker: DEMO.workerPat })).map(
    (made) => made.id,
  );
});
afterAll(async () => {
  await t.close();
});

describe('booking a session', () => {
  it('books a session for a participant allocated to the worker, audited, and shows it on the summary', async () => {
    const participantId = patsParticipants[0]!;
    const form = await pat.get(`/participants/${participantId}/sessions/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('0 of 10 sessions attended, 0 planned');
    const response = await pat.post(
      `/participants/${participantId}/sessions/new`,
      booking('2026-12-03', '14:30', { mode: 'in_person', place: 'community_venue' }),
    );
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/participants/${participantId}?done=session-booked`);
    const [session] = await sessionsOf(participantId);
    expect(session).toMatchObject({ status: 'planned', place: 'community_venue', version: 1 });
    // 14:30 in London in December is 14:30 UTC.
    expect(new Date(session!.planned_at).toISOString()).toBe('2026-12-03T14:30:00.000Z');
    expect(await auditCount('session.booked', session!.id)).toBe(1);

    const summary = await pat.get(`/participants/${participantId}`);
    expect(summary.body).toContain('0 of 10 sessions attended, 1 planned.');
    expect(summary.body).toContain('3 December 2026, 2:30 pm');
    expect(summary.body).toContain('Record what happened');
    expect(summary.body).toContain(`/participants/${participantId}/sessions/new`);
  });

  it('shows every problem with an empty or wrong form, and saves nothing', async () => {
    const participantId = patsParticipants[1]!;
    const before = (await sessionsOf(participantId)).length;
    const empty = await book(participantId, { submissionToken: randomUUID() });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('There is a problem');
    expect(empty.body).toContain('Enter the date of the session');
    expect(empty.body).toContain('Enter the time of the session');
    expect(empty.body).toContain('Select how you will meet');
    const wrong = await book(
      participantId,
      booking('2026-12-03', '25:00', { mode: 'in_person', 'plannedOn[day]': '31', 'plannedOn[month]': '2' }),
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Date of the session must be a real date');
    expect(wrong.body).toContain('Enter a real time, using the 24-hour clock, like 14:30');
    expect(wrong.body).toContain('Select where you will meet');
    expect((await sessionsOf(participantId)).length).toBe(before);
  });

  it('creates one session when the same form is sent twice', async () => {
    const participantId = patsParticipants[1]!;
    const before = (await sessionsOf(participantId)).length;
    const fields = booking('2026-12-04');
    await pat.get(`/participants/${participantId}/sessions/new`);
    const first = await pat.post(`/participants/${participantId}/sessions/new`, fields);
    const second = await pat.post(`/participants/${participantId}/sessions/new`, fields);
    expect([first.statusCode, second.statusCode]).toEqual([303, 303]);
    expect((await sessionsOf(participantId)).length).toBe(before + 1);
  });

  it('warns when attended and planned sessions reach the cap, and books another only when confirmed', async () => {
    const participantId = patsParticipants[2]!;
    for (let day = 1; day <= 10; day++) {
      expect((await book(participantId, booking(`2026-12-${String(day).padStart(2, '0')}`))).statusCode).toBe(
        303,
      );
    }
    const form = await pat.get(`/participants/${participantId}/sessions/new`);
    expect(form.body).toContain('sessions are used or booked');
    expect(form.body).toContain('I have agreed this extra session');
    const refused = await pat.post(`/participants/${participantId}/sessions/new`, booking('2026-12-11'));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Confirm you have agreed a session beyond the 10 in the programme');
    expect((await sessionsOf(participantId)).length).toBe(10);
    const confirmed = await book(participantId, booking('2026-12-11', '10:00', { confirmOverCap: 'yes' }));
    expect(confirmed.statusCode).toBe(303);
    expect((await sessionsOf(participantId)).length).toBe(11);
  });

  it('needs a reason for a session after the programme window ends', async () => {
    // 22 days after discharge on 4 November: the window ends on 4 February 2027.
    const participantId = patsParticipants[0]!;
    const before = (await sessionsOf(participantId)).length;
    const refused = await book(participantId, booking('2027-02-05'));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Enter why this session is after the programme window ends');
    expect((await sessionsOf(participantId)).length).toBe(before);
    const onLastDay = await book(participantId, booking('2027-02-04'));
    expect(onLastDay.statusCode).toBe(303);
    const withReason = await book(
      participantId,
      booking('2027-02-05', '11:00', { outsideWindowReason: 'Agreed with supervisor after a hospital stay' }),
    );
    expect(withReason.statusCode).toBe(303);
    const sessions = await sessionsOf(participantId);
    expect(sessions.at(-1)!.outside_window_reason).toBe('Agreed with supervisor after a hospital stay');
    expect(sessions.at(-2)!.outside_window_reason).toBeNull();
  });

  it('refuses a date before discharge', async () => {
    const refused = await book(patsParticipants[0]!, booking('2026-11-01'));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('on or after the day they were discharged');
  });
});

describe('recording what happened', () => {
  it('records an attended session with its sections, and the summary and caseload count it', async () => {
    const participantId = patsParticipants[3]!;
    const session = await pastSession(participantId);
    const form = await pat.get(`/sessions/${session.id}/record`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Moving on after a crisis');
    expect(form.body).not.toContain('Planning for a crisis');
    const response = await pat.post(`/sessions/${session.id}/record`, {
      version: String(session.version),
      status: 'attended',
      durationMinutes: '50',
      sections: ['moving_on', 'keeping_well'],
      storySharing: 'yes',
      note: 'Talked about what helped after discharge',
      followUps: 'Bring the crisis team leaflet',
    });
    expect(response.statusCode).toBe(303);
    const [row] = await sessionsOf(participantId);
    expect(row).toMatchObject({
      status: 'attended',
      duration_minutes: 50,
      sections: ['moving_on', 'keeping_well'],
      story_sharing: true,
      version: 2,
    });
    expect(await auditCount('session.recorded', session.id)).toBe(1);
    const summary = await pat.get(`/participants/${participantId}`);
    expect(summary.body).toContain('1 of 10 sessions attended.');
    // Each section worked on links to it in the plan, which shares both with Pat by default.
    expect(summary.body).toContain(
      `Worked on: <a href="/participants/${participantId}/plan/moving_on">Moving on after a crisis</a>, <a href="/participants/${participantId}/plan/keeping_well">Keeping well</a>`,
    );
    const caseload = await pat.get('/caseload');
    expect(caseload.body).toContain('1 of 10');
  });

  it('needs the details of an attended session', async () => {
    const session = await pastSession(patsParticipants[3]!);
    const response = await record(session.id, { version: String(session.version), status: 'attended' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('Enter how long the session lasted, in minutes');
    expect(response.body).toContain('Select yes if you shared your own story');
    const tooLong = await record(session.id, {
      version: String(session.version),
      status: 'attended',
      durationMinutes: '601',
      storySharing: 'no',
      note: 'x'.repeat(2001),
    });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('600 minutes (10 hours) or less');
    expect(tooLong.body).toContain('Note must be 2000 characters or fewer');
  });

  for (const status of ['did_not_attend', 'cancelled_by_participant', 'cancelled_by_worker', 'rescheduled']) {
    it(`records "${status}" only with a reason, and "other" only with words`, async () => {
      const session = await pastSession(patsParticipants[3]!);
      const noReason = await record(session.id, { version: String(session.version), status });
      expect(noReason.statusCode).toBe(400);
      expect(noReason.body).toContain('Select why the session did not go ahead');
      const otherBlank = await record(session.id, {
        version: String(session.version),
        status,
        reason: 'other',
      });
      expect(otherBlank.statusCode).toBe(400);
      expect(otherBlank.body).toContain('Enter why the session did not go ahead');
      const ok = await record(session.id, {
        version: String(session.version),
        status,
        reason: 'other',
        reasonOther: 'Moving house',
      });
      expect(ok.statusCode).toBe(303);
      const row = (await sessionsOf(patsParticipants[3]!)).find((s) => s.id === session.id);
      expect(row).toMatchObject({ status, status_reason: 'other', status_reason_other: 'Moving house' });
    });
  }

  it('does not record a session as attended before it has started', async () => {
    const participantId = patsParticipants[1]!;
    const [future] = await sessionsOf(participantId);
    const response = await record(future!.id, {
      version: String(future!.version),
      status: 'attended',
      durationMinutes: '30',
      storySharing: 'no',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('cannot be recorded as attended before it has started');
    const cancelled = await record(future!.id, {
      version: String(future!.version),
      status: 'cancelled_by_participant',
      reason: 'unwell',
    });
    expect(cancelled.statusCode).toBe(303);
  });
});

describe('a concern to raise', () => {
  it('is recorded with the session, shown on the participant page with the crisis team’s number, and audited', async () => {
    const participantId = patsParticipants[3]!;
    const session = await pastSession(participantId);
    const page = await pat.get(`/sessions/${session.id}/record`);
    expect(page.body).toContain('I have a concern to raise with the crisis team');
    const [team] = await queryRows<{ name: string; phone: string }>(
      t.database,
      sql`SELECT c.name, c.phone FROM crisis_teams c JOIN participants p ON p.crisis_team_id = c.id WHERE p.id = ${participantId}`,
    );
    expect(page.body).toContain(`tell the ${team!.name} now on ${team!.phone}`);
    const response = await record(session.id, {
      version: String(session.version),
      status: 'did_not_attend',
      reason: 'unwell',
      concernToRaise: 'yes',
    });
    expect(response.statusCode).toBe(303);
    const [row] = await queryRows<{ concern_to_raise: boolean }>(
      t.database,
      sql`SELECT concern_to_raise FROM programme_sessions WHERE id = ${session.id}`,
    );
    expect(row!.concern_to_raise).toBe(true);
    const summary = await pat.get(`/participants/${participantId}`);
    expect(summary.body).toContain('id="concern-to-raise"');
    expect(summary.body).toContain(`Make sure the ${team!.name} knows`);
    expect(summary.body).toContain('nhsuk-tag--red">Concern to raise</strong>');
    const [audit] = await queryRows<{ detail: Record<string, unknown> }>(
      t.database,
      sql`SELECT detail FROM audit_events WHERE action = 'session.recorded' AND entity_id = ${session.id}`,
    );
    expect(audit!.detail).toMatchObject({ concernToRaise: true });
  });
});

describe('changing a recorded session', () => {
  it('shows the changes on the record page, newest first, with who, when and why', async () => {
    const session = await pastSession(patsParticipants[3]!);
    const fresh = await pat.get(`/sessions/${session.id}/record`);
    expect(fresh.body).not.toContain('id="session-changes"');

    t.clock.advance(60_000);
    await record(session.id, { version: '1', status: 'did_not_attend', reason: 'unwell' });
    t.clock.advance(60_000);
    const changed = await record(session.id, {
      version: '2',
      status: 'cancelled_by_participant',
      reason: 'life_event',
      why: 'They rang <b>before</b> to cancel',
    });
    expect(changed.statusCode).toBe(303);

    const page = await pat.get(`/sessions/${session.id}/record`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h2 id="session-changes">Changes</h2>');
    const newest = page.body.indexOf('Changed from &quot;Did not attend&quot; by Pat Peer');
    const oldest = page.body.indexOf('Recorded what happened by Pat Peer');
    expect(newest).toBeGreaterThan(-1);
    expect(oldest).toBeGreaterThan(newest);
    expect(page.body).toContain('Why: They rang &lt;b&gt;before&lt;/b&gt; to cancel');
    expect(page.body).not.toContain('<b>before</b>');
    expect(page.body).toContain(formatDateTime(t.clock.now()));
  });

  it('needs a reason, keeps every earlier version with who, when and why, and is audited', async () => {
    const participantId = patsParticipants[3]!;
    const session = await pastSession(participantId);
    await record(session.id, { version: '1', status: 'did_not_attend', reason: 'unwell' });

    const form = await pat.get(`/sessions/${session.id}/record`);
    expect(form.body).toContain('Change what happened');
    expect(form.body).toContain('Why are you changing this?');
    const noWhy = await pat.post(`/sessions/${session.id}/record`, {
      version: '2',
      status: 'attended',
      durationMinutes: '30',
      storySharing: 'no',
    });
    expect(noWhy.statusCode).toBe(400);
    expect(noWhy.body).toContain('Enter why you are changing what was recorded');

    const changed = await pat.post(`/sessions/${session.id}/record`, {
      version: '2',
      status: 'attended',
      durationMinutes: '30',
      storySharing: 'no',
      why: 'They came late; I recorded the wrong status',
    });
    expect(changed.statusCode).toBe(303);
    const revisions = await queryRows<{
      version: number;
      snapshot: { status: string };
      changed_by: string;
      why: string | null;
    }>(
      t.database,
      sql`SELECT version, snapshot, changed_by, why FROM programme_session_revisions WHERE session_id = ${session.id} ORDER BY version`,
    );
    const patId = await t.staffId(DEMO.workerPat);
    expect(revisions).toEqual([
      {
        version: 1,
        snapshot: expect.objectContaining({ status: 'planned' }) as unknown,
        changed_by: patId,
        why: null,
      },
      {
        version: 2,
        snapshot: expect.objectContaining({ status: 'did_not_attend', statusReason: 'unwell' }) as unknown,
        changed_by: patId,
        why: 'They came late; I recorded the wrong status',
      },
    ]);
    expect(await auditCount('session.updated', session.id)).toBe(1);
  });

  it('refuses a change made on an out-of-date form with the conflict page, and saves nothing', async () => {
    const participantId = patsParticipants[3]!;
    const session = await pastSession(participantId);
    await record(session.id, { version: '1', status: 'did_not_attend', reason: 'unwell' });
    const stale = await record(session.id, {
      version: '1',
      status: 'attended',
      durationMinutes: '30',
      storySharing: 'no',
      why: 'Correcting',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed');
    const row = (await sessionsOf(participantId)).find((s) => s.id === session.id);
    expect(row).toMatchObject({ status: 'did_not_attend', version: 2 });
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM programme_session_revisions WHERE session_id = ${session.id}`,
      ),
    ).toBe(1);
  });
});

describe('who may book and record', () => {
  it('another worker, or the coordinator, cannot book or record for Pat’s participant (not found)', async () => {
    const participantId = patsParticipants[3]!;
    const [session] = await sessionsOf(participantId);
    const before = await count(t.database, sql`SELECT count(*) AS n FROM programme_sessions`);
    for (const client of [rob, coordinator]) {
      expect((await client.get(`/participants/${participantId}/sessions/new`)).statusCode).toBe(404);
      expect((await client.get(`/sessions/${session!.id}/record`)).statusCode).toBe(404);
      await client.get('/help');
      expect(
        (await client.post(`/participants/${participantId}/sessions/new`, booking('2026-12-20'))).statusCode,
      ).toBe(404);
      expect(
        (
          await client.post(`/sessions/${session!.id}/record`, {
            version: String(session!.version),
            status: 'did_not_attend',
            reason: 'unwell',
          })
        ).statusCode,
      ).toBe(404);
    }
    expect(await count(t.database, sql`SELECT count(*) AS n FROM programme_sessions`)).toBe(before);
    const unchanged = (await sessionsOf(participantId)).find((s) => s.id === session!.id);
    expect(unchanged!.version).toBe(session!.version);
  });

  it('the coordinator sees the sessions on the summary but no booking or recording links', async () => {
    const summary = await coordinator.get(`/participants/${patsParticipants[3]!}`);
    expect(summary.statusCode).toBe(200);
    expect(summary.body).toContain('sessions attended');
    expect(summary.body).not.toContain('Book a session');
    expect(summary.body).not.toContain('/record"');
  });

  it('an unknown session is not found', async () => {
    expect((await pat.get(`/sessions/${randomUUID()}/record`)).statusCode).toBe(404);
    expect((await pat.get('/sessions/not-an-id/record')).statusCode).toBe(404);
  });
});

describe('hostile input', () => {
  const body = hostileForm(POSTED_FIELDS, '12:60');

  it('never answers a booking or a record form with a server error', async () => {
    const participantId = patsParticipants[1]!;
    const [session] = await sessionsOf(participantId);
    await pat.get(`/participants/${participantId}/sessions/new`);
    await fc.assert(
      fc.asyncProperty(body, async (fields) => {
        const booked = await pat.post(`/participants/${participantId}/sessions/new`, fields);
        expect([303, 400]).toContain(booked.statusCode);
        const recorded = await pat.post(`/sessions/${session!.id}/record`, fields);
        expect([303, 400, 409]).toContain(recorded.statusCode);
      }),
      { numRuns: 40 },
    );
  });
});

describe('a deployment’s own list of reasons', () => {
  it('offers and stores its reasons, and refuses the default ones it dropped', async () => {
    const own = await createTestApp({
      SESSION_STATUS_REASONS: 'transport=No transport;caring=Caring duties',
    });
    try {
      const worker = await own.signedInAs(DEMO.workerPat);
      const participant = await aParticipant(own, { worker: DEMO.workerPat });
      await worker.get(`/participants/${participant.id}/sessions/new`);
      expect(
        (await worker.post(`/participants/${participant.id}/sessions/new`, booking('2026-11-25'))).statusCode,
      ).toBe(303);
      const [session] = await queryRows<{ id: string; version: number }>(
        own.database,
        sql`SELECT id, version FROM programme_sessions WHERE participant_id = ${participant.id} ORDER BY booked_at DESC LIMIT 1`,
      );
      const form = await worker.get(`/sessions/${session!.id}/record`);
      expect(form.body).toContain('Caring duties');
      expect(form.body).toContain('Another reason');
      expect(form.body).not.toContain('Something came up in their life');
      const refused = await worker.post(`/sessions/${session!.id}/record`, {
        version: String(session!.version),
        status: 'cancelled_by_participant',
        reason: 'unwell',
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.body).toContain('Select why the session did not go ahead');
      const saved = await worker.post(`/sessions/${session!.id}/record`, {
        version: String(session!.version),
        status: 'cancelled_by_participant',
        reason: 'caring',
      });
      expect(saved.statusCode).toBe(303);
      const summary = await worker.get(`/participants/${participant.id}`);
      expect(summary.body).toContain('Caring duties');
    } finally {
      await own.close();
    }
  });
});
