/**
 * Staying in touch, through HTTP as a peer support worker would: recording each kind of contact
 * attempt, the re-contact workflow on the participant page up to "lost contact", validation,
 * double submits, who may record, the audit trail, and hostile input.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { hostileForm } from '../test-support/hostile-form.ts';
import { ContactAttemptRepository } from './contact-attempt.repository.ts';
import { OUTCOMES, POSTED_FIELDS } from './contact.form.ts';
import { OUTCOME_LABELS } from './contact.view-model.ts';

let t: TestApp;
let pat: TestClient;
/** Pat's participants, most recently discharged first; see src/demo/seed.ts for their stories. */
let patsParticipants: string[] = [];
const byName: Record<string, string> = {};

interface AttemptRow {
  id: string;
  method: string;
  outcome: string;
  reached: boolean;
  note: string | null;
  made_at: Date | string;
  made_by: string;
}

const attemptsOf = (participantId: string) =>
  queryRows<AttemptRow>(
    t.database,
    sql`SELECT * FROM contact_attempts WHERE participant_id = ${participantId} ORDER BY made_at, recorded_at`,
  );
const allAttempts = () => count(t.database, sql`SELECT count(*) AS n FROM contact_attempts`);

/** The form as posted: today (26 November 2026 in the test clock) at 09:00 unless told otherwise. */
function attempt(extra: Record<string, string> = {}): Record<string, string> {
  return {
    submissionToken: randomUUID(),
    method: 'phone',
    outcome: 'no_answer',
    'madeOn[day]': '26',
    'madeOn[month]': '11',
    'madeOn[year]': '2026',
    madeTime: '09:00',
    ...extra,
  };
}

async function record(client: TestClient, participantId: string, fields: Record<string, string>) {
  await client.get(`/participants/${participantId}/contacts/new`);
  return client.post(`/participants/${participantId}/contacts/new`, fields);
}

/** The "Staying in touch" part of the participant page's HTML. */
async function panelOf(client: TestClient, participantId: string): Promise<string> {
  const page = await client.get(`/participants/${participantId}`);
  expect(page.statusCode).toBe(200);
  const start = page.body.indexOf('<h2 id="staying-in-touch">');
  const end = page.body.indexOf('<h2>Personal details</h2>');
  expect(start).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(start);
  return page.body.slice(start, end);
}

beforeAll(async () => {
  t = await createTestApp();
  pat = await t.signedInAs(DEMO.workerPat);
  const rows = await queryRows<{ id: string; name: string }>(
    t.database,
    sql`SELECT p.id, p.given_name || ' ' || p.family_name AS name FROM participants p JOIN allocations a ON a.participant_id = p.id AND a.ended_at IS NULL JOIN staff_users s ON s.id = a.peer_worker_id WHERE s.email = ${DEMO.workerPat} ORDER BY p.discharged_on DESC`,
  );
  patsParticipants = rows.map((row) => row.id);
  for (const row of rows) byName[row.name] = row.id;
  expect(patsParticipants.length).toBeGreaterThanOrEqual(6);
});
afterAll(async () => {
  await t.close();
});

describe('the demo data', () => {
  it('has someone Pat is trying to reach, and someone for whom lost contact may be recorded', async () => {
    const trying = await panelOf(pat, byName['Olu Adeyemi']!);
    expect(trying).toContain('Trying to reach them');
    expect(trying).toContain('<strong>2 of 3</strong> unsuccessful attempts since they were last reached.');
    expect(trying).toContain('After 3 you can record that contact is lost.');
    expect(trying).not.toContain('You can now record that contact is lost');

    const lost = await panelOf(pat, byName['Hannah Lewis']!);
    expect(lost).toContain('<strong>3 of 3</strong> unsuccessful attempts');
    expect(lost).toContain('You can now record that contact is lost');
    expect(lost).toContain('Phone call (2 times)');
    expect(lost).toContain('Home visit (once)');
    // Not yet tried, in the re-contact order.
    const next = /<ol id="re-contact-next">([\s\S]*?)<\/ol>/.exec(lost)?.[1] ?? '';
    expect([...next.matchAll(/<li>([^<]+)<\/li>/g)].map((m) => m[1])).toEqual([
      'Send a text message',
      'Send a letter',
      'Ask their care team or GP for new contact details',
    ]);
  });

  it('agrees with the repository query that programme endings use', async () => {
    const repository = new ContactAttemptRepository();
    for (const participantId of patsParticipants) {
      const lastAttended = await repository.lastAttendedAt(t.database.db, participantId);
      const status = await t.deps.services.contact.contactStatus(t.database.db, participantId, lastAttended);
      const since = await repository.attemptsSince(t.database.db, participantId, status.lastReachedAt);
      expect(since.map((a) => a.id)).toEqual(status.attemptsSinceReached.map((a) => a.id));
    }
  });
});

describe('recording a contact attempt', () => {
  it('offers the form filled in with now, and audits opening it', async () => {
    const participantId = patsParticipants[0]!;
    const before = await count(
      t.database,
      sql`SELECT count(*) AS n FROM audit_events WHERE action = 'participant.viewed' AND entity_id = ${participantId} AND detail->>'page' = 'record contact attempt'`,
    );
    const form = await pat.get(`/participants/${participantId}/contacts/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('<h1>Record a contact attempt</h1>');
    expect(form.body).toContain('Asked the care team or GP for new contact details');
    expect(form.body).toMatch(/name="madeOn\[day\]"[^>]*value="26"/);
    expect(form.body).toMatch(/name="madeOn\[year\]"[^>]*value="2026"/);
    // 10:00 UTC is 10:00 in London in November.
    expect(form.body).toMatch(/name="madeTime"[^>]*value="10:00"/);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'participant.viewed' AND entity_id = ${participantId} AND detail->>'page' = 'record contact attempt'`,
      ),
    ).toBe(before + 1);
  });

  it('counts attempts "so far" for someone never reached', async () => {
    const participantId = patsParticipants[0]!;
    expect(await panelOf(pat, participantId)).toContain('No contact attempts recorded.');
    await record(pat, participantId, attempt({ madeTime: '07:00' }));
    const panel = await panelOf(pat, participantId);
    expect(panel).toContain('Not reached yet');
    expect(panel).toContain('<strong>1 of 3</strong> unsuccessful attempt so far.');
    expect(panel).toContain('Tried so far:');
  });

  it('records every outcome, reached only when they spoke or replied, and audits each without the note', async () => {
    const participantId = patsParticipants[0]!;
    for (const [i, outcome] of OUTCOMES.entries()) {
      const response = await record(
        pat,
        participantId,
        attempt({ outcome, madeTime: `08:${String(10 + i)}`, note: `Note about ${outcome}` }),
      );
      expect(response.statusCode, outcome).toBe(303);
      expect(response.headers.location).toBe(`/participants/${participantId}?done=contact-recorded`);
    }
    // After the one attempt of the test before.
    const rows = (await attemptsOf(participantId)).slice(1);
    expect(rows.map((row) => [row.outcome, row.reached])).toEqual(
      OUTCOMES.map((outcome) => [outcome, outcome === 'spoke' || outcome === 'reply_received']),
    );
    expect(new Date(rows[0]!.made_at).toISOString()).toBe('2026-11-26T08:10:00.000Z');
    expect(rows[0]!.made_by).toBe(await t.staffId(DEMO.workerPat));

    const events = await queryRows<{ entity_id: string; detail: Record<string, unknown> }>(
      t.database,
      sql`SELECT entity_id, detail FROM audit_events WHERE action = 'contact.recorded' AND detail->>'participantId' = ${participantId} ORDER BY seq`,
    );
    expect(events.slice(1).map((e) => e.entity_id)).toEqual(rows.map((row) => row.id));
    expect(events[1]!.detail).toEqual({ participantId, method: 'phone', outcome: 'spoke' });
    expect(JSON.stringify(events)).not.toContain('Note about');

    const summary = await pat.get(`/participants/${participantId}?done=contact-recorded`);
    expect(summary.body).toContain('Contact attempt recorded.');
    expect(summary.body).toContain('All contact attempts (9)');
    for (const outcome of OUTCOMES) expect(summary.body).toContain(OUTCOME_LABELS[outcome].toLowerCase());
    expect(summary.body).toContain('Note: Note about wrong_number');
    // The newest is "other", unsuccessful, after "reply_received" reached them at 08:11.
    const panel = await panelOf(pat, participantId);
    expect(panel).toContain('26 November 2026, 8:11 am (today)');
    expect(panel).toContain('<strong>6 of 3</strong>');
  });

  it('walks the re-contact workflow: 1, 2, then 3 of 3 and lost contact, until they are reached', async () => {
    const participantId = patsParticipants[4]!;
    expect(await panelOf(pat, participantId)).not.toContain('Trying to reach them');

    await record(pat, participantId, attempt({ method: 'phone', outcome: 'no_answer', madeTime: '08:00' }));
    let panel = await panelOf(pat, participantId);
    expect(panel).toContain('<strong>1 of 3</strong> unsuccessful attempt since they were last reached.');
    expect(panel).toContain('Phone call (once)');
    expect(panel).toMatch(/<ol id="re-contact-next">\s*<li>Send a text message<\/li>/);

    await record(pat, participantId, attempt({ method: 'text', outcome: 'message_left', madeTime: '08:30' }));
    expect(await panelOf(pat, participantId)).toContain('<strong>2 of 3</strong>');

    await record(
      pat,
      participantId,
      attempt({ method: 'letter', outcome: 'letter_returned', madeTime: '09:00' }),
    );
    panel = await panelOf(pat, participantId);
    expect(panel).toContain('<strong>3 of 3</strong>');
    expect(panel).toContain('You can now record that contact is lost');
    expect(panel).toMatch(/<ol id="re-contact-next">\s*<li>Visit their home<\/li>/);
    const status = await t.deps.services.contact.contactStatus(t.database.db, participantId, null);
    expect(status.canRecordLostContact).toBe(true);

    await record(
      pat,
      participantId,
      attempt({ method: 'via_care_team', outcome: 'reply_received', madeTime: '09:30' }),
    );
    panel = await panelOf(pat, participantId);
    expect(panel).not.toContain('Trying to reach them');
    expect(panel).toContain('26 November 2026, 9:30 am (today)');
    expect(panel).toContain('Asked the care team or GP for new contact details');
  });

  it('shows every problem with an empty form in the error summary, and saves nothing', async () => {
    const participantId = patsParticipants[5]!;
    const before = await allAttempts();
    const empty = await record(pat, participantId, { submissionToken: randomUUID() });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('There is a problem');
    expect(empty.body).toContain('<title>Error: Record a contact attempt');
    for (const message of [
      'Select how you tried to contact them',
      'Select what happened',
      'Enter the date you tried to contact them',
      'Enter the time you tried to contact them',
    ])
      expect(empty.body).toContain(message);
    expect(empty.body).toContain('href="#madeOn-day"');

    const wrong = await record(
      pat,
      participantId,
      attempt({ outcome: 'other', madeTime: '9am', note: '', 'madeOn[month]': '13' }),
    );
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('Date must be a real date');
    expect(wrong.body).toContain('Enter a real time, using the 24-hour clock, like 14:30');
    expect(wrong.body).toContain('Enter what happened');
    // What was typed is kept.
    expect(wrong.body).toMatch(/name="madeTime"[^>]*value="9am"/);
    const tooLong = await record(pat, participantId, attempt({ note: 'x'.repeat(1001) }));
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('Note must be 1000 characters or fewer');
    expect(await allAttempts()).toBe(before);
  });

  it('refuses a time in the future and a date before discharge, and saves nothing', async () => {
    const participantId = patsParticipants[5]!;
    const before = await allAttempts();
    const later = await record(pat, participantId, attempt({ madeTime: '10:01' }));
    expect(later.statusCode).toBe(400);
    expect(later.body).toContain('Time must be now or in the past');
    const tomorrow = await record(pat, participantId, attempt({ 'madeOn[day]': '27' }));
    expect(tomorrow.statusCode).toBe(400);
    expect(tomorrow.body).toContain('Date must be today or in the past');
    const beforeDischarge = await record(pat, participantId, attempt({ 'madeOn[year]': '2025' }));
    expect(beforeDischarge.statusCode).toBe(400);
    expect(beforeDischarge.body).toContain('Date must be on or after the day they were discharged');
    expect(await allAttempts()).toBe(before);
    // Exactly now is allowed.
    expect((await record(pat, participantId, attempt({ madeTime: '10:00' }))).statusCode).toBe(303);
    expect(await allAttempts()).toBe(before + 1);
  });

  it('records one attempt when the same form is sent twice', async () => {
    const participantId = patsParticipants[5]!;
    const before = await allAttempts();
    const fields = attempt({ madeTime: '07:45' });
    await pat.get(`/participants/${participantId}/contacts/new`);
    const first = await pat.post(`/participants/${participantId}/contacts/new`, fields);
    const second = await pat.post(`/participants/${participantId}/contacts/new`, fields);
    expect([first.statusCode, second.statusCode]).toEqual([303, 303]);
    expect(await allAttempts()).toBe(before + 1);
    // A token is only good for the participant its form was for.
    const elsewhere = await pat.post(`/participants/${patsParticipants[4]!}/contacts/new`, fields);
    expect(elsewhere.statusCode).toBe(404);
    expect(await allAttempts()).toBe(before + 1);
  });
});

describe('who may record and see contact attempts', () => {
  it('only the current worker may record: others get not found, and nothing is saved', async () => {
    const participantId = patsParticipants[1]!;
    const before = await allAttempts();
    for (const email of [DEMO.workerRob, DEMO.supervisorNorth, DEMO.clinicianNorth, DEMO.coordinator]) {
      const client = await t.signedInAs(email);
      expect((await client.get(`/participants/${participantId}/contacts/new`)).statusCode, email).toBe(404);
      await client.get('/help');
      expect(
        (await client.post(`/participants/${participantId}/contacts/new`, attempt())).statusCode,
        email,
      ).toBe(404);
    }
    // The participant themselves is sent to staff sign-in.
    const participant = t.client();
    await participant.get('/demo');
    await participant.post(`/demo/sign-in/participant/${participantId}`, {});
    expect((await participant.get(`/participants/${participantId}/contacts/new`)).statusCode).toBe(303);
    await participant.get('/me');
    expect([401, 404]).toContain(
      (await participant.post(`/participants/${participantId}/contacts/new`, attempt())).statusCode,
    );
    expect(await allAttempts()).toBe(before);
  });

  it('those who may see the participant see the panel without the button; one audit event per page view', async () => {
    const participantId = byName['Hannah Lewis']!;
    const viewed = () =>
      count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'participant.viewed' AND entity_id = ${participantId}`,
      );
    for (const email of [DEMO.coordinator, DEMO.supervisorNorth]) {
      const client = await t.signedInAs(email);
      const before = await viewed();
      const panel = await panelOf(client, participantId);
      expect(await viewed()).toBe(before + 1);
      expect(panel).toContain('<strong>3 of 3</strong>');
      expect(panel).toContain('By Pat Peer');
      expect(panel).not.toContain('Record a contact attempt');
    }
    expect(await panelOf(pat, participantId)).toContain(`/participants/${participantId}/contacts/new`);
  });

  it('an unknown participant is not found', async () => {
    expect((await pat.get(`/participants/${randomUUID()}/contacts/new`)).statusCode).toBe(404);
    expect((await pat.get('/participants/not-an-id/contacts/new')).statusCode).toBe(404);
    await pat.get('/help');
    expect((await pat.post(`/participants/${randomUUID()}/contacts/new`, attempt())).statusCode).toBe(404);
  });
});

describe('hostile input', () => {
  const body = hostileForm(POSTED_FIELDS, '12:60', 'x'.repeat(5000));

  it('never answers the form with a server error, and saves only complete valid attempts', async () => {
    const participantId = patsParticipants[2]!;
    await pat.get(`/participants/${participantId}/contacts/new`);
    await fc.assert(
      fc.asyncProperty(body, async (fields) => {
        const before = await allAttempts();
        const response = await pat.post(`/participants/${participantId}/contacts/new`, fields);
        expect([303, 400]).toContain(response.statusCode);
        expect(await allAttempts()).toBe(response.statusCode === 303 ? before + 1 : before);
      }),
      { numRuns: 40 },
    );
  });
});

describe('the number of attempts before lost contact', () => {
  it('follows CONTACT_ATTEMPTS_BEFORE_LOST', async () => {
    const strict = await createTestApp({ CONTACT_ATTEMPTS_BEFORE_LOST: '2' });
    try {
      const client = await strict.signedInAs(DEMO.workerPat);
      const [olu] = await queryRows<{ id: string }>(
        strict.database,
        sql`SELECT id FROM participants WHERE given_name = 'Olu' AND family_name = 'Adeyemi'`,
      );
      const page = await client.get(`/participants/${olu!.id}`);
      expect(page.body).toContain('<strong>2 of 2</strong>');
      expect(page.body).toContain('You can now record that contact is lost');
    } finally {
      await strict.close();
    }
  });
});
