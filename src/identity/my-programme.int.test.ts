/**
 * A participant's own programme page: their upcoming sessions, in UK time, in plain words, with
 * their worker's first name, and nothing recorded about sessions that have happened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { count, queryRows } from '../test-support/rows.ts';
import { createTestApp, DEMO, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { addMonths } from '../platform/calendar/uk-time.ts';
import { aParticipant } from '../test-support/factories.ts';

let t: TestApp;
let pat: TestClient;
let participantId: string;

/** Pat books a session the way the booking form does. */
async function book(fields: Record<string, string>): Promise<void> {
  const [year = '', month = '', day = ''] = fields.on!.split('-');
  await pat.get(`/participants/${participantId}/sessions/new`);
  const response = await pat.post(`/participants/${participantId}/sessions/new`, {
    submissionToken: crypto.randomUUID(),
    'plannedOn[day]': String(Number(day)),
    'plannedOn[month]': String(Number(month)),
    'plannedOn[year]': year,
    plannedTime: fields.time ?? '10:00',
    mode: fields.mode ?? 'phone',
    ...(fields.place ? { place: fields.place } : {}),
  });
  expect(response.statusCode).toBe(303);
}

async function signInAsParticipant(): Promise<TestClient> {
  return t.signedInAsParticipant(participantId);
}

beforeAll(async () => {
  t = await createTestApp();
  pat = await t.signedInAs(DEMO.workerPat);
  // One of Pat's participants, discharged 42 days ago, with only the sessions booked here.
  participantId = (await aParticipant(t, { worker: DEMO.workerPat, dischargedDaysAgo: 42 })).id;
});
afterAll(async () => {
  await t.close();
});

describe('my programme', () => {
  it('says when nothing is booked yet', async () => {
    const me = await (await signInAsParticipant()).get('/me');
    expect(me.statusCode).toBe(200);
    expect(me.body).toContain('Where you are in the programme');
    expect(me.body).not.toContain('Your next sessions');
    expect(me.body).toContain('None booked yet. Pat will get in touch to arrange one.');
  });

  it('lists upcoming sessions soonest first, in UK time and plain words, audited, with no notes', async () => {
    // Yesterday's session, recorded with a note: it has happened, so it is not listed.
    await book({ on: '2026-11-25', time: '09:00', mode: 'video' });
    const [past] = await queryRows<{ id: string; version: number }>(
      t.database,
      sql`SELECT id, version FROM programme_sessions WHERE participant_id = ${participantId}`,
    );
    await pat.get(`/sessions/${past!.id}/record`);
    const recorded = await pat.post(`/sessions/${past!.id}/record`, {
      version: String(past!.version),
      status: 'attended',
      durationMinutes: '45',
      sections: ['moving_on'],
      storySharing: 'no',
      note: 'Private note about the first week',
    });
    expect(recorded.statusCode).toBe(303);
    await book({ on: '2027-01-12', time: '11:15', mode: 'in_person', place: 'nhs_site' });
    await book({ on: '2026-12-03', time: '14:30', mode: 'in_person', place: 'home' });
    await book({ on: '2026-12-10', time: '09:45', mode: 'video' });
    await book({ on: '2026-12-17', time: '16:00', mode: 'phone' });

    const participant = await signInAsParticipant();
    const before = await count(
      t.database,
      sql`SELECT count(*) AS n FROM audit_events WHERE action = 'participant.viewed' AND entity_id = ${participantId} AND detail->>'page' = 'my programme'`,
    );
    const me = await participant.get('/me');
    expect(me.statusCode).toBe(200);
    const expected = [
      ['3 December 2026, 2:30 pm', 'In person at home with Pat'],
      ['10 December 2026, 9:45 am', 'Video call with Pat'],
      ['17 December 2026, 4:00 pm', 'Phone call with Pat'],
      ['12 January 2027, 11:15 am', 'In person at an NHS site with Pat'],
    ];
    let from = 0;
    for (const [when, how] of expected) {
      const at = me.body.indexOf(when!, from);
      expect(at, when).toBeGreaterThan(from);
      expect(me.body.indexOf(how!, at)).toBeGreaterThan(at);
      from = at;
    }
    expect(me.body).not.toContain('25 November 2026');
    expect(me.body).not.toContain('Private note');
    for (const word of [
      'Attended',
      'Did not attend',
      'crisis plan',
      'Moving on after a crisis',
      'Pat Peer',
    ]) {
      expect(me.body).not.toContain(word);
    }
    const after = await count(
      t.database,
      sql`SELECT count(*) AS n FROM audit_events WHERE action = 'participant.viewed' AND entity_id = ${participantId} AND detail->>'page' = 'my programme'`,
    );
    expect(after).toBe(before + 1);
  });

  it('shows sessions so far and left, the next session and the planned end, in the word "session"', async () => {
    const [row] = await queryRows<{ discharged_on: string }>(
      t.database,
      sql`SELECT discharged_on::text FROM participants WHERE id = ${participantId}`,
    );
    const plannedEnd = new Date(`${addMonths(row!.discharged_on, 3)}T12:00:00Z`).toLocaleDateString('en-GB', {
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      timeZone: 'UTC',
    });
    const me = (await (await signInAsParticipant()).get('/me')).body;
    const progress = me.slice(
      me.indexOf('id="programme-progress"'),
      me.indexOf('</dl>', me.indexOf('id="programme-progress"')),
    );
    expect(progress).toMatch(/Sessions so far\s*<\/dt>\s*<dd[^>]*>\s*1 of up to 10/);
    expect(progress).toMatch(/Sessions left\s*<\/dt>\s*<dd[^>]*>\s*Up to 9/);
    expect(progress).toContain('3 December 2026, 2:30 pm, in person at home with Pat');
    expect(progress).toContain(plannedEnd);
    expect(me).not.toContain('What happens next');
    expect(me).not.toMatch(/\bmeet(ing)?s?\b(?! with you)/i);
  });

  it('past the planned end, says so and what happens next, never that a session will be arranged', async () => {
    const [row] = await queryRows<{ discharged_on: string }>(
      t.database,
      sql`SELECT discharged_on::text FROM participants WHERE id = ${participantId}`,
    );
    const saved = t.clock.now();
    t.clock.set(`${addMonths(row!.discharged_on, 4)}T10:00:00Z`);
    try {
      const me = (await (await signInAsParticipant()).get('/me')).body;
      expect(me).toContain('What happens next');
      expect(me).toContain('(this date has passed)');
      expect(me).toContain('Pat will talk with you about ending it, with a last session if you want one.');
      expect(me).toContain('you get a summary of your time in it to read, print and keep');
      expect(me).not.toContain('will get in touch to arrange one');
    } finally {
      t.clock.set(saved.toISOString());
    }
  });
});
