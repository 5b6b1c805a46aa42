/**
 * `participant_progress`, which the service reports read, is worked out again by triggers in
 * the transaction of every change to a participant's sessions, allocations and concerns, so it
 * always says what a fresh count of those rows says.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, type TestApp } from '../test-support/test-app.ts';
import { queryRows } from '../test-support/rows.ts';
import { aParticipant, aSession, aTrust, type MadeTrust } from '../test-support/factories.ts';
import { addDays, ukToday } from '../platform/calendar/uk-time.ts';

let t: TestApp;
let trust: MadeTrust;

beforeAll(async () => {
  t = await createTestApp();
  trust = await aTrust(t);
});
afterAll(async () => {
  await t.close();
});

interface Progress {
  attended: number;
  first_attended_at: Date | string | null;
  sections: string[];
  first_allocated_at: Date | string | null;
  concerns: number;
}

async function progressOf(participantId: string): Promise<Progress | undefined> {
  const [row] = await queryRows<Progress>(
    t.database,
    sql`SELECT attended, first_attended_at, sections, first_allocated_at, concerns
          FROM participant_progress WHERE participant_id = ${participantId}`,
  );
  return row;
}

/** The same facts counted afresh from the rows they come from. */
async function countedAfresh(participantId: string): Promise<Progress | undefined> {
  const [row] = await queryRows<Progress>(
    t.database,
    sql`SELECT (SELECT count(*)::int FROM programme_sessions WHERE participant_id = p.id AND status = 'attended') AS attended,
               (SELECT min(planned_at) FROM programme_sessions WHERE participant_id = p.id AND status = 'attended') AS first_attended_at,
               ARRAY(SELECT DISTINCT x FROM programme_sessions s, unnest(s.sections) x
                      WHERE s.participant_id = p.id AND s.status = 'attended' ORDER BY x) AS sections,
               (SELECT min(allocated_at) FROM allocations WHERE participant_id = p.id) AS first_allocated_at,
               (SELECT count(*)::int FROM safety_concerns WHERE participant_id = p.id AND kind = 'concern') AS concerns
          FROM participants p WHERE p.id = ${participantId}`,
  );
  return row;
}

async function aConcern(participant: { id: string; crisisTeamId: string }, kind: 'concern' | 'advice') {
  const raisedBy = await t.staffId(trust.worker);
  await t.database.db.execute(
    sql`INSERT INTO safety_concerns (id, kind, participant_id, crisis_team_id, raised_by, raised_at, urgency,
                                     what_happened, acknowledge_by, submission_token)
        VALUES (${randomUUID()}, ${kind}, ${participant.id}, ${participant.crisisTeamId}, ${raisedBy}, now(),
                'routine', 'They said the week had been hard', now() + interval '1 day', ${randomUUID()})`,
  );
}

describe('what has happened to each participant, as the reports read it', () => {
  it('follows every session, allocation and concern, in the same transaction', async () => {
    const person = await aParticipant(t, { trust, worker: trust.worker });
    const today = ukToday(t.clock.now());
    expect(await progressOf(person.id)).toMatchObject({ attended: 0, sections: [], concerns: 0 });
    expect((await progressOf(person.id))?.first_allocated_at).not.toBeNull();

    const first = await aSession(t, person, { status: 'attended', on: addDays(today, -10) });
    await aSession(t, person, {
      status: 'attended',
      on: addDays(today, -3),
      with: { sections: ['keeping_well', 'moving_on'] },
    });
    await aSession(t, person, { status: 'did_not_attend', on: addDays(today, -5) });
    await aSession(t, person);
    expect(await progressOf(person.id)).toMatchObject({
      attended: 2,
      sections: ['keeping_well', 'moving_on'],
    });

    // A session corrected to "did not attend": counted again, never adjusted.
    await t.database.db.execute(
      sql`UPDATE programme_sessions SET status = 'did_not_attend', status_reason = 'unwell' WHERE id = ${first.id}`,
    );
    await aConcern(person, 'concern');
    await aConcern(person, 'advice');
    const now = await progressOf(person.id);
    expect(now).toMatchObject({ attended: 1, concerns: 1 });
    expect(now).toEqual(await countedAfresh(person.id));
  });

  it('is written for nobody else, and a change that fails leaves it as it was', async () => {
    const person = await aParticipant(t, { trust, worker: trust.worker });
    const other = await aParticipant(t, { trust, worker: trust.worker });
    await aSession(t, person, { status: 'attended', on: addDays(ukToday(t.clock.now()), -2) });
    expect(await progressOf(other.id)).toMatchObject({ attended: 0 });
    const before = await progressOf(person.id);
    await expect(
      t.database.db.transaction(async (tx) => {
        await tx.execute(sql`UPDATE programme_sessions SET status = 'did_not_attend', status_reason = 'unwell' WHERE participant_id = ${person.id}`);
        throw new Error('the change fails after the update');
      }),
    ).rejects.toThrow('the change fails');
    expect(await progressOf(person.id)).toEqual(before);
  });
});
