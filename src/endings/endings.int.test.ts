/**
 * Ending the programme through HTTP, as a peer support worker, the participant and their
 * crisis team would: what the summary says, the rules for ending (planned sessions, lost
 * contact, dates), stale edits, who may read it, sharing with consent, and the audit trail.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { hostileForm } from '../test-support/hostile-form.ts';
import { ContactAttemptRepository } from '../contact/contact-attempt.repository.ts';
import { saveAtOnce } from '../test-support/at-once.ts';
import { ENDING_POSTED_FIELDS, SHARE_POSTED_FIELDS } from './ending.form.ts';
import { aParticipant, participantsDischarged, type MadeParticipant } from '../test-support/factories.ts';
import { dateFields, plannedFields } from '../test-support/session-forms.ts';

let t: TestApp;
let pat: TestClient;
let rob: TestClient;
let coordinator: TestClient;
let clinicianNorth: TestClient;
let clinicianSouth: TestClient;
/** Pat's North-team participants made here, most recently discharged first. */
let north: MadeParticipant[] = [];
let patId: string;

const DAY = 86_400_000;

async function book(participantId: string, iso: string, extra: Record<string, string> = {}) {
  await pat.get(`/participants/${participantId}/sessions/new`);
  return pat.post(`/participants/${participantId}/sessions/new`, {
    submissionToken: randomUUID(),
    ...plannedFields(iso),
    mode: 'phone',
    ...extra,
  });
}

async function newestSession(
  participantId: string,
): Promise<{ id: string; version: number; is_ending: boolean }> {
  const [row] = await queryRows<{ id: string; version: number; is_ending: boolean }>(
    t.database,
    sql`SELECT id, version, is_ending FROM programme_sessions WHERE participant_id = ${participantId} ORDER BY booked_at DESC, planned_at DESC LIMIT 1`,
  );
  return row!;
}

/** Records what happened at a session as Pat, from its record page. */
async function record(session: { id: string; version: number }, fields: Record<string, string | string[]>) {
  await pat.get(`/sessions/${session.id}/record`);
  return pat.post(`/sessions/${session.id}/record`, { version: String(session.version), ...fields });
}

/** Records a planned session as cancelled by Pat, so it no longer stands in the way of ending. */
const cancel = (session: { id: string; version: number }, why = 'Booked for the test') =>
  record(session, { status: 'cancelled_by_worker', reason: 'other', reasonOther: why });

/** Books a session on `iso` and records it as attended with these sections. */
async function attended(participantId: string, iso: string, sections: string[]) {
  expect((await book(participantId, iso)).statusCode).toBe(303);
  t.clock.advance(1000);
  const response = await record(await newestSession(participantId), {
    status: 'attended',
    durationMinutes: '45',
    sections,
    storySharing: 'no',
  });
  expect(response.statusCode).toBe(303);
}

/** Two sessions' ending marks and versions, as saved. */
const endingMarks = (first: string, second: string) =>
  queryRows<{ id: string; is_ending: boolean; version: number }>(
    t.database,
    sql`SELECT id, is_ending, version FROM programme_sessions WHERE id IN (${first}, ${second})`,
  );

function ending(extra: Record<string, string> = {}): Record<string, string> {
  return {
    version: '0',
    reason: 'completed',
    ...dateFields('endedOn', '2026-11-26'),
    onwardSupport: 'Their GP, and the walking group on Tuesdays',
    message: 'It was good to meet with you',
    shareConsent: 'not_asked',
    ...extra,
  };
}

async function end(client: TestClient, participantId: string, fields: Record<string, string>) {
  await client.get(`/participants/${participantId}/ending`);
  return client.post(`/participants/${participantId}/ending`, fields);
}

interface EndingRow {
  reason: string;
  sessions_attended: number;
  sections: string[];
  share_consent: string;
  version: number;
  ended_on: string | Date;
}

const endingOf = async (participantId: string) =>
  (
    await queryRows<EndingRow>(
      t.database,
      sql`SELECT reason, sessions_attended, sections, share_consent, version, ended_on::text AS ended_on FROM programme_endings WHERE participant_id = ${participantId}`,
    )
  )[0];

/** How many times a participant's summary has been shared, with anyone. */
const sharesOf = (participantId: string) =>
  count(
    t.database,
    sql`SELECT count(*) AS n FROM programme_ending_shares WHERE participant_id = ${participantId}`,
  );

const auditCount = (action: string, entityId: string) =>
  count(
    t.database,
    sql`SELECT count(*) AS n FROM audit_events WHERE action = ${action} AND entity_id = ${entityId}`,
  );

async function signInAsParticipant(participantId: string): Promise<TestClient> {
  return t.signedInAsParticipant(participantId);
}

beforeAll(async () => {
  t = await createTestApp();
  pat = await t.signedInAs(DEMO.workerPat);
  rob = await t.signedInAs(DEMO.workerRob);
  coordinator = await t.signedInAs(DEMO.coordinator);
  clinicianNorth = await t.signedInAs(DEMO.clinicianNorth);
  clinicianSouth = await t.signedInAs(DEMO.clinicianSouth);
  patId = await t.staffId(DEMO.workerPat);
  // Pat's North-team participants for these tests, with no sessions or attempts yet, discharged
  // 42, 62 and 98 days ago (the last past their three-month window).
  north = await participantsDischarged(t, [42, 62, 98], { worker: DEMO.workerPat });
});
afterAll(async () => {
  await t.close();
});

describe('planning the ending session', () => {
  it('books a session marked as the planned ending and tags it on the participant page', async () => {
    const participantId = north[2]!.id;
    // Past their window: a later session needs a reason.
    const response = await book(participantId, '2026-12-10', {
      isEnding: 'yes',
      outsideWindowReason: 'Agreed to finish well',
    });
    expect(response.statusCode).toBe(303);
    expect((await newestSession(participantId)).is_ending).toBe(true);
    const page = await pat.get(`/participants/${participantId}`);
    expect(page.body).toContain('Ending session');
    // Cancelled again, so the participant is free for the tests below.
    await cancel(await newestSession(participantId));
  });
});

describe('marking a booked session as the ending from its record page', () => {
  it('marks it, moves the mark to another session, and only for a planned session of their own', async () => {
    const participantId = north[2]!.id;
    const reason = { outsideWindowReason: 'Agreed to finish well' };
    expect((await book(participantId, '2026-12-11', reason)).statusCode).toBe(303);
    const first = await newestSession(participantId);
    t.clock.advance(1000);
    expect((await book(participantId, '2026-12-18', reason)).statusCode).toBe(303);
    const second = await newestSession(participantId);

    const page = await pat.get(`/sessions/${first.id}/record`);
    expect(page.body).toContain('Mark as the planned ending session');
    await pat.get('/help');
    expect((await rob.post(`/sessions/${first.id}/planned-ending`, { isEnding: 'yes' })).statusCode).toBe(
      404,
    );
    const marked = await pat.post(`/sessions/${first.id}/planned-ending`, { isEnding: 'yes' });
    expect(marked.statusCode).toBe(303);
    expect(marked.headers.location).toBe(`/participants/${participantId}`);
    await pat.post(`/sessions/${second.id}/planned-ending`, { isEnding: 'yes' });
    const endingFlags = () => endingMarks(first.id, second.id);
    expect(Object.fromEntries((await endingFlags()).map((r) => [r.id, r.is_ending]))).toEqual({
      [first.id]: false,
      [second.id]: true,
    });
    expect((await pat.get(`/sessions/${second.id}/record`)).body).toContain('It is not the ending session');
    await pat.post(`/sessions/${second.id}/planned-ending`, { isEnding: 'no' });
    expect((await endingFlags()).every((r) => !r.is_ending)).toBe(true);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'session.updated' AND entity_id IN (${first.id}, ${second.id}) AND detail ? 'isEnding'`,
      ),
    ).toBe(3);

    // Cancelled, so the participant is free for the tests below; a recorded one cannot be marked.
    for (const session of await endingFlags()) await cancel(session);
    const refused = await pat.post(`/sessions/${first.id}/planned-ending`, { isEnding: 'yes' });
    expect(refused.headers.location).toBe(`/sessions/${first.id}/record`);
    expect((await endingFlags()).every((r) => !r.is_ending)).toBe(true);
  });

  it('keeps one ending session when two browsers mark two sessions at the same moment', async () => {
    const participantId = north[2]!.id;
    const reason = { outsideWindowReason: 'Agreed to finish well' };
    const browsers = [pat, await t.signedInAs(DEMO.workerPat)];
    const sessions: { id: string; version: number }[] = [];
    for (const [i, day] of ['2026-12-11', '2026-12-18'].entries()) {
      if (i > 0) t.clock.advance(1000);
      expect((await book(participantId, day, reason)).statusCode).toBe(303);
      sessions.push(await newestSession(participantId));
    }
    const flags = () => endingMarks(sessions[0]!.id, sessions[1]!.id);
    for (let round = 0; round < 4; round++) {
      await Promise.all(browsers.map((browser, i) => browser.get(`/sessions/${sessions[i]!.id}/record`)));
      // Moving the mark is the form's purpose, so both saves stand: the later one has the mark.
      const race = await saveAtOnce(
        browsers.map(
          (browser, i) => () =>
            browser.post(`/sessions/${sessions[i]!.id}/planned-ending`, { isEnding: 'yes' }),
        ),
      );
      expect(race.statuses, race.said).toEqual([303, 303]);
      expect(
        (await flags()).filter((row) => row.is_ending),
        race.said,
      ).toHaveLength(1);
      for (const browser of browsers) await browser.get('/help');
      await Promise.all(
        (await flags())
          .filter((row) => row.is_ending)
          .map((row) => pat.post(`/sessions/${row.id}/planned-ending`, { isEnding: 'no' })),
      );
      expect((await flags()).every((row) => !row.is_ending)).toBe(true);
    }

    // Cancelled, so the participant is free for the tests below.
    for (const session of await flags()) await cancel(session);
  });
});

describe('ending the programme', () => {
  it('offers "End the programme" below the day-to-day actions on the participant page', async () => {
    // Someone of Pat's of its own, whose programme is still running.
    const running = await aParticipant(t, { worker: DEMO.workerPat });
    const page = (await pat.get(`/participants/${running.id}`)).body;
    const end = page.indexOf('id="ending-the-programme"');
    expect(page.indexOf('End the programme', end)).toBeGreaterThan(end);
    for (const dayToDay of ['Book a session', 'Open their recovery plan', 'id="staying-in-touch"']) {
      expect(page.indexOf(dayToDay), dayToDay).toBeGreaterThan(0);
      expect(page.indexOf(dayToDay), dayToDay).toBeLessThan(end);
    }
    // Only the one place offers it.
    expect(page.split('End the programme').length - 1).toBe(1);
  });

  it('shows what the summary will say, and refuses to end while a session is still planned', async () => {
    const participantId = north[0]!.id;
    await attended(participantId, '2026-11-10', ['moving_on', 'keeping_well']);
    await attended(participantId, '2026-11-17', ['keeping_well', 'people_and_places']);
    expect((await book(participantId, '2026-12-01')).statusCode).toBe(303);

    const form = await pat.get(`/participants/${participantId}/ending`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('End the programme');
    expect(form.body).toContain('2 of 10');
    for (const title of ['Moving on after a crisis', 'Keeping well', 'People and places that help'])
      expect(form.body).toContain(title);
    expect(form.body).toContain('None in the recovery plan yet, or not shared.');
    expect(form.body).toContain('1 session is still planned');
    expect(form.body).toContain('1 December 2026, 10:00 am');

    const refused = await pat.post(`/participants/${participantId}/ending`, ending());
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('There is a problem');
    expect(refused.body).toContain(
      'Record what happened to the session still planned before ending the programme',
    );
    expect(await endingOf(participantId)).toBeUndefined();

    await cancel(await newestSession(participantId), 'Programme ending early');
  });

  it('shows every problem with an empty or wrong form, and saves nothing', async () => {
    const participantId = north[0]!.id;
    await pat.get(`/participants/${participantId}/ending`);
    const empty = await pat.post(`/participants/${participantId}/ending`, { version: '0' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('There is a problem');
    expect(empty.body).toContain('Select why the programme is ending');
    expect(empty.body).toContain('Enter the date the programme ended');
    expect(empty.body).toContain('Select whether they agreed to share the summary with their care team');
    const wrong = await pat.post(
      `/participants/${participantId}/ending`,
      ending({ reason: 'other', onwardSupport: '', ...dateFields('endedOn', '2026-11-27') }),
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Enter why the programme is ending');
    expect(wrong.body).toContain('Enter the support they are going on to');
    expect(wrong.body).toContain('Date the programme ended must be today or in the past');
    const beforeDischarge = await pat.post(
      `/participants/${participantId}/ending`,
      ending(dateFields('endedOn', '2026-01-01')),
    );
    expect(beforeDischarge.statusCode).toBe(400);
    expect(beforeDischarge.body).toContain('must be on or after the day they were discharged');
    expect(await endingOf(participantId)).toBeUndefined();
  });

  it('ends the programme with the sessions and sections counted, audited, and shows it on the record', async () => {
    const participantId = north[0]!.id;
    const response = await end(pat, participantId, ending());
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(`/participants/${participantId}/ending/summary?done=ended`);
    expect(await endingOf(participantId)).toMatchObject({
      reason: 'completed',
      sessions_attended: 2,
      sections: ['moving_on', 'keeping_well', 'people_and_places'],
      share_consent: 'not_asked',
      version: 1,
      ended_on: '2026-11-26',
    });
    expect(await auditCount('programme.ended', participantId)).toBe(1);

    const summary = await pat.get(`/participants/${participantId}/ending/summary?done=ended`);
    expect(summary.statusCode).toBe(200);
    expect(summary.body).toContain('Programme ended. This is their end-of-programme summary.');
    expect(summary.body).toContain('2 of 10 sessions attended.');
    expect(summary.body).toContain('Their GP, and the walking group on Tuesdays');
    expect(summary.body).toContain('It was good to meet with you');
    expect(summary.body).toContain('Not shared with anyone yet.');
    expect(await auditCount('ending.viewed', participantId)).toBeGreaterThanOrEqual(1);

    const record = await pat.get(`/participants/${participantId}`);
    expect(record.body).toContain('Programme ended on 26 November 2026 (completed the programme).');
    expect(record.body).toContain(`/participants/${participantId}/ending/summary`);
    expect(record.body).not.toContain('Book a session');
  });

  it('refuses booking once the programme has ended', async () => {
    const participantId = north[0]!.id;
    const sessions = () =>
      count(
        t.database,
        sql`SELECT count(*) AS n FROM programme_sessions WHERE participant_id = ${participantId}`,
      );
    const before = await sessions();
    const refused = await book(participantId, '2026-12-03');
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('The programme has ended, so no more sessions can be booked');
    expect(await sessions()).toBe(before);
  });

  it('saves once when the same form is sent twice', async () => {
    const participantId = north[0]!.id;
    const again = await pat.post(`/participants/${participantId}/ending`, ending());
    expect(again.statusCode).toBe(303);
    expect(await endingOf(participantId)).toMatchObject({ version: 1 });
    expect(await auditCount('programme.ended', participantId)).toBe(1);
  });

  it('changes the ending with a version check: a stale form gets the conflict page and saves nothing', async () => {
    const participantId = north[0]!.id;
    const form = await pat.get(`/participants/${participantId}/ending`);
    expect(form.body).toContain('Change the ending');
    expect(form.body).toContain('name="version" value="1"');
    const changed = await pat.post(
      `/participants/${participantId}/ending`,
      ending({ version: '1', shareConsent: 'yes' }),
    );
    expect(changed.statusCode).toBe(303);
    expect(changed.headers.location).toBe(`/participants/${participantId}/ending/summary?done=updated`);
    expect(await endingOf(participantId)).toMatchObject({ version: 2, share_consent: 'yes' });
    expect(await auditCount('ending.updated', participantId)).toBe(1);

    const stale = await coordinator.post(
      `/participants/${participantId}/ending`,
      ending({ version: '1', shareConsent: 'no', message: 'Changed by someone else' }),
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed');
    expect(await endingOf(participantId)).toMatchObject({ version: 2, share_consent: 'yes' });
  });
});

describe('lost contact', () => {
  it('is refused until enough unsuccessful attempts since they were last reached, then accepted', async () => {
    const participantId = north[1]!.id;
    await attended(participantId, '2026-11-12', ['tackling_problems']);
    const fields = ending({ reason: 'lost_contact', onwardSupport: '' });
    const refused = await end(pat, participantId, fields);
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('You can record lost contact only after 3 unsuccessful attempts');
    expect(refused.body).toContain('(0 recorded)');
    expect(await endingOf(participantId)).toBeUndefined();

    const attempts = new ContactAttemptRepository();
    const attempt = async (daysAgo: number, outcome: 'no_answer' | 'spoke') =>
      attempts.insert(t.database.db, {
        id: randomUUID(),
        participantId,
        madeBy: patId,
        madeAt: new Date(t.clock.now().getTime() - daysAgo * DAY),
        method: 'phone',
        outcome,
        reached: outcome === 'spoke',
        note: null,
        recordedAt: t.clock.now(),
        submissionToken: randomUUID(),
      });
    // Two before the session that reached them do not count; neither does one before a reply.
    await attempt(20, 'no_answer');
    await attempt(19, 'no_answer');
    await attempt(9, 'no_answer');
    await attempt(8, 'spoke');
    await attempt(6, 'no_answer');
    await attempt(4, 'no_answer');
    const stillRefused = await end(pat, participantId, fields);
    expect(stillRefused.statusCode).toBe(400);
    expect(stillRefused.body).toContain('(2 recorded)');

    await attempt(2, 'no_answer');
    const accepted = await end(pat, participantId, fields);
    expect(accepted.statusCode).toBe(303);
    expect(await endingOf(participantId)).toMatchObject({ reason: 'lost_contact', sessions_attended: 1 });
  });
});

describe('the participant’s own summary', () => {
  it('shows on My programme, in plain words at /me/summary, and upcoming sessions are gone', async () => {
    const participantId = north[0]!.id;
    const participant = await signInAsParticipant(participantId);
    const me = await participant.get('/me');
    expect(me.statusCode).toBe(200);
    expect(me.body).toContain('Your time in the programme has ended');
    expect(me.body).toContain('href="/me/summary"');
    expect(me.body).not.toContain('Your next sessions');

    const viewed = await auditCount('ending.viewed', participantId);
    const summary = await participant.get('/me/summary');
    expect(summary.statusCode).toBe(200);
    expect(summary.body).toContain('What we did together');
    expect(summary.body).toContain('You had 2 sessions with Pat.');
    expect(summary.body).toContain('Keeping well');
    expect(summary.body).toContain('Where to get support next');
    expect(summary.body).toContain('Their GP, and the walking group on Tuesdays');
    expect(summary.body).toContain('A message from Pat');
    expect(summary.body).toContain('Your recovery plan stays yours');
    expect(summary.body).toContain('href="/me"');
    expect(await auditCount('ending.viewed', participantId)).toBe(viewed + 1);
  });

  it('another participant has no summary to read, and cannot read someone else’s', async () => {
    const other = await signInAsParticipant(north[2]!.id);
    expect((await other.get('/me/summary')).statusCode).toBe(404);
    expect((await other.get(`/participants/${north[0]!.id}/ending/summary`)).statusCode).toBe(303);
    expect((await t.client().get('/me/summary')).statusCode).toBe(303);
  });
});

describe('who may end and read', () => {
  it('another worker, a clinician or a supervisor cannot open or post the ending form (not found)', async () => {
    const participantId = north[2]!.id;
    const supervisor = await t.signedInAs(DEMO.supervisorNorth);
    for (const client of [rob, clinicianNorth, supervisor]) {
      expect((await client.get(`/participants/${participantId}/ending`)).statusCode).toBe(404);
      await client.get('/help');
      expect((await client.post(`/participants/${participantId}/ending`, ending())).statusCode).toBe(404);
    }
    expect(await endingOf(participantId)).toBeUndefined();
  });

  it('the coordinator may end a programme', async () => {
    const form = await coordinator.get(`/participants/${north[2]!.id}/ending`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('End the programme');
  });

  it('another worker cannot read the summary or share it', async () => {
    const participantId = north[0]!.id;
    expect((await rob.get(`/participants/${participantId}/ending/summary`)).statusCode).toBe(404);
    expect((await rob.get(`/participants/${participantId}/ending/share`)).statusCode).toBe(404);
  });

  it('an unknown or malformed id is not found', async () => {
    expect((await pat.get(`/participants/${randomUUID()}/ending`)).statusCode).toBe(404);
    expect((await pat.get('/participants/not-an-id/ending/summary')).statusCode).toBe(404);
    expect((await pat.get(`/participants/${north[2]!.id}/ending/summary`)).statusCode).toBe(404);
  });
});

describe('sharing the summary', () => {
  it('needs the participant’s recorded consent first', async () => {
    const participantId = north[1]!.id; // ended above, consent not asked
    const page = await pat.get(`/participants/${participantId}/ending/share`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('has not agreed to share their summary');
    expect(page.body).toContain(`href="/participants/${participantId}/ending"`);
    expect(page.body).not.toContain('Send the summary');
    const refused = await pat.post(`/participants/${participantId}/ending/share`, {
      submissionToken: randomUUID(),
      recipients: 'crisis_team',
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(
      'Record that they agreed to share the summary before sending it to anyone',
    );
    expect(await sharesOf(participantId)).toBe(0);
  });

  it('starts from the GP practice and care coordinator the referral gave', async () => {
    const participantId = north[0]!.id;
    await t.database.db.execute(
      sql`UPDATE participants SET gp_practice_name = 'Beeston Village Surgery', gp_practice_email = 'beeston.surgery@nhs.net', care_coordinator_name = 'Chris Coordinator', care_coordinator_email = 'chris.c@nhs.net' WHERE id = ${participantId}`,
    );
    try {
      const page = await pat.get(`/participants/${participantId}/ending/share`);
      expect(page.body).toMatch(/id="gpName" name="gpName" type="text" value="Beeston Village Surgery"/);
      expect(page.body).toMatch(/id="gpEmail" name="gpEmail" type="email"[^>]*value="beeston.surgery@nhs.net"/);
      expect(page.body).toMatch(/id="careCoordinatorName" name="careCoordinatorName" type="text" value="Chris Coordinator"/);
      expect(page.body).toMatch(/id="careCoordinatorEmail" name="careCoordinatorEmail" type="email"[^>]*value="chris.c@nhs.net"/);
    } finally {
      await t.database.db.execute(
        sql`UPDATE participants SET gp_practice_name = NULL, gp_practice_email = NULL, care_coordinator_name = NULL, care_coordinator_email = NULL WHERE id = ${participantId}`,
      );
    }
  });

  it('takes only secure NHS email addresses, and needs a name and someone to send to', async () => {
    const participantId = north[0]!.id;
    await pat.get(`/participants/${participantId}/ending/share`);
    const none = await pat.post(`/participants/${participantId}/ending/share`, {
      submissionToken: randomUUID(),
    });
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Select who to send the summary to');
    const wrong = await pat.post(`/participants/${participantId}/ending/share`, {
      submissionToken: randomUUID(),
      recipients: ['gp', 'care_coordinator'],
      gpName: 'Dr Green',
      gpEmail: 'dr.green@gmail.com',
      careCoordinatorEmail: 'not an email',
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Enter a secure NHS email address, ending in @nhs.net or .nhs.uk');
    expect(wrong.body).toContain('Enter the care coordinator’s name');
    expect(wrong.body).toContain('Enter an email address in the correct format, like name@nhs.net');
    expect(await sharesOf(participantId)).toBe(0);
  });

  it('clinicians of the team read it only once it is shared with the team; another team never', async () => {
    const participantId = north[0]!.id;
    expect((await clinicianNorth.get(`/participants/${participantId}/ending/summary`)).statusCode).toBe(404);
    const before = await clinicianNorth.get(`/participants/${participantId}`);
    expect(before.body).toContain('Programme ended on');
    expect(before.body).not.toContain('shared with your team');
    expect(before.body).not.toContain(`/participants/${participantId}/ending/summary`);

    await pat.get(`/participants/${participantId}/ending/share`);
    const shared = await pat.post(`/participants/${participantId}/ending/share`, {
      submissionToken: randomUUID(),
      recipients: 'crisis_team',
    });
    expect(shared.statusCode).toBe(303);
    expect(shared.headers.location).toBe(`/participants/${participantId}/ending/summary?done=shared`);

    const after = await clinicianNorth.get(`/participants/${participantId}`);
    expect(after.body).toContain('End-of-programme summary shared with your team.');
    const summary = await clinicianNorth.get(`/participants/${participantId}/ending/summary`);
    expect(summary.statusCode).toBe(200);
    expect(summary.body).toContain('North crisis resolution team');
    expect(summary.body).not.toContain('Change the ending');
    expect((await clinicianSouth.get(`/participants/${participantId}/ending/summary`)).statusCode).toBe(404);
  });

  it('emails the GP once when the form is sent twice, recorded and audited without the address', async () => {
    const participantId = north[0]!.id;
    await pat.get(`/participants/${participantId}/ending/share`);
    const fields = {
      submissionToken: randomUUID(),
      recipients: ['gp', 'care_coordinator'],
      gpName: 'Dr Amina Rahman',
      gpEmail: 'Park.Lane@nhs.net',
      careCoordinatorName: 'Sam Rivers',
      careCoordinatorEmail: 'sam.rivers@leedsandyorkpft.nhs.uk',
    };
    const first = await pat.post(`/participants/${participantId}/ending/share`, fields);
    const second = await pat.post(`/participants/${participantId}/ending/share`, fields);
    expect([first.statusCode, second.statusCode]).toEqual([303, 303]);

    const sent = await queryRows<{ recipient: string; template: string; summary: string }>(
      t.database,
      sql`SELECT recipient, template, personalisation->>'summary' AS summary FROM notifications WHERE template = 'ending_summary' AND recipient IN ('park.lane@nhs.net', 'sam.rivers@leedsandyorkpft.nhs.uk') ORDER BY recipient`,
    );
    expect(sent.map((row) => row.recipient)).toEqual([
      'park.lane@nhs.net',
      'sam.rivers@leedsandyorkpft.nhs.uk',
    ]);
    expect(sent[0]!.summary).toContain('Sessions attended: 2 of 10');
    expect(sent[0]!.summary).toContain('Moving on after a crisis, Keeping well, People and places that help');
    const shares = await queryRows<{ recipient_kind: string; notification_id: string | null }>(
      t.database,
      sql`SELECT recipient_kind, notification_id FROM programme_ending_shares WHERE participant_id = ${participantId} ORDER BY recipient_kind`,
    );
    expect(shares.map((s) => s.recipient_kind)).toEqual(['care_coordinator', 'crisis_team', 'gp']);
    expect(shares.filter((s) => s.recipient_kind !== 'crisis_team').every((s) => s.notification_id)).toBe(
      true,
    );

    const audits = await queryRows<{ detail: Record<string, unknown> }>(
      t.database,
      sql`SELECT detail FROM audit_events WHERE action = 'ending.shared' AND entity_id = ${participantId}`,
    );
    expect(audits.map((a) => a.detail.recipientKind).sort()).toEqual([
      'care_coordinator',
      'crisis_team',
      'gp',
    ]);
    expect(JSON.stringify(audits)).not.toContain('nhs.net');

    const summary = await pat.get(`/participants/${participantId}/ending/summary`);
    expect(summary.body).toContain('Dr Amina Rahman (park.lane@nhs.net)');
    expect(summary.body).toContain('Sam Rivers');
  });

  it('keeps the GP’s email when the provider refuses it: "not sent yet" on the summary, then sent a minute later', async () => {
    const participantId = north[0]!.id;
    const gpEmail = 'moor.surgery@nhs.net';
    const emailsToGp = () =>
      count(
        t.database,
        sql`SELECT count(*) AS n FROM notifications WHERE template = 'ending_summary' AND recipient = ${gpEmail}`,
      );
    const notSentYet = /Moor Surgery \(moor\.surgery@nhs\.net\)<br>[^<]*Not sent yet/;
    await pat.get(`/participants/${participantId}/ending/share`);
    const sends = vi
      .spyOn(t.deps.services.notifications, 'send')
      .mockRejectedValueOnce(new Error('Notify answered 500'));
    try {
      const shared = await pat.post(`/participants/${participantId}/ending/share`, {
        submissionToken: randomUUID(),
        recipients: 'gp',
        gpName: 'Moor Surgery',
        gpEmail,
      });
      // Recorded and shown as shared: the email waits in the outbox, not lost, not an error.
      expect(shared.statusCode).toBe(303);
      expect(await emailsToGp()).toBe(0);
      const waiting = await pat.get(`/participants/${participantId}/ending/summary`);
      expect(waiting.body).toMatch(notSentYet);

      t.clock.advance(60_000);
      await t.deps.services.messageOutbox.dispatchDue();
      expect(await emailsToGp()).toBe(1);
      const sent = await pat.get(`/participants/${participantId}/ending/summary`);
      expect(sent.body).toContain('Moor Surgery (moor.surgery@nhs.net)');
      expect(sent.body).not.toMatch(notSentYet);
      const share = await queryRows<{ notification_id: string | null }>(
        t.database,
        sql`SELECT notification_id FROM programme_ending_shares WHERE participant_id = ${participantId} AND recipient_email = ${gpEmail}`,
      );
      expect(share[0]?.notification_id).not.toBeNull();
    } finally {
      sends.mockRestore();
    }
  });
});

describe('demo data', () => {
  it('has an ended participant whose summary is shared with the crisis team and the GP, with nothing still planned', async () => {
    const rows = await queryRows<{ participant_id: string; kinds: string[]; planned: number }>(
      t.database,
      sql`SELECT e.participant_id,
            array(SELECT recipient_kind FROM programme_ending_shares s WHERE s.participant_id = e.participant_id ORDER BY recipient_kind) AS kinds,
            (SELECT count(*)::int FROM programme_sessions ps WHERE ps.participant_id = e.participant_id AND ps.status = 'planned') AS planned
          FROM programme_endings e`,
    );
    expect(rows.some((row) => row.kinds.join() === 'crisis_team,gp')).toBe(true);
    expect(rows.every((row) => row.planned === 0)).toBe(true);
  });
});

describe('two saves of one ending at the same moment', () => {
  it('end the programme once and answer the other with the conflict page, then the same for a change', async () => {
    // Rob's North participant, so Pat's people above keep their own story; the
    // coordinator may end anyone's programme, and has it open in two browsers.
    const participantId = (await aParticipant(t, { worker: DEMO.workerRob })).id;
    const browsers = [coordinator, await t.signedInAs(DEMO.coordinator)];
    for (let version = 0; version < 4; version++) {
      await Promise.all(browsers.map((browser) => browser.get(`/participants/${participantId}/ending`)));
      const [ended, updated] = await Promise.all([
        auditCount('programme.ended', participantId),
        auditCount('ending.updated', participantId),
      ]);
      const race = await saveAtOnce(
        browsers.map(
          (browser, i) => () =>
            browser.post(
              `/participants/${participantId}/ending`,
              ending({
                version: String(version),
                message: `Browser ${String(i + 1)}, version ${String(version)}`,
              }),
            ),
        ),
      );
      expect(race.statuses, race.said).toEqual([303, 409]);
      expect(race.loser?.body).toContain('Someone else changed this');
      expect(await endingOf(participantId)).toMatchObject({ version: version + 1 });
      expect(await auditCount('programme.ended', participantId)).toBe(version === 0 ? 1 : ended);
      expect(await auditCount('ending.updated', participantId)).toBe(version === 0 ? 0 : updated + 1);
    }
  });
});

describe('hostile input', () => {
  const longText = 'x'.repeat(3000);

  it('never answers the ending or the share form with a server error', async () => {
    const participantId = north[2]!.id;
    await pat.get(`/participants/${participantId}/ending`);
    await fc.assert(
      fc.asyncProperty(hostileForm(ENDING_POSTED_FIELDS, longText), async (fields) => {
        const response = await pat.post(`/participants/${participantId}/ending`, fields);
        expect([303, 400, 409]).toContain(response.statusCode);
      }),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(hostileForm(SHARE_POSTED_FIELDS, longText), async (fields) => {
        const response = await pat.post(`/participants/${north[0]!.id}/ending/share`, fields);
        expect([303, 400]).toContain(response.statusCode);
      }),
      { numRuns: 40 },
    );
  });
});
