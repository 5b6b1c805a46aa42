/**
 * The demo people's programme so far: their sessions (roughly weekly, most attended) and the
 * attempts to reach them between sessions, consistent with each other (seed.ts calls these).
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { ProgrammeSessionRepository, ProgrammeSessionRow } from '../sessions/session.repository.ts';
import { addDays, addMonths, fromUkWallClock, ukToday } from '../platform/calendar/uk-time.ts';
import {
  REACHED_OUTCOMES,
  type ContactAttemptRepository,
  type ContactMethod,
  type ContactOutcome,
} from '../contact/contact-attempt.repository.ts';

export const DAY = 86_400_000;

/** The UK date `days` before now's (the UTC date would be a day out late on a summer evening). */
export function isoDaysAgo(now: Date, days: number): string {
  return addDays(ukToday(now), -days);
}

/** The default programme (3 months, 10 sessions) that the demo sessions keep to. */
const DEMO_WINDOW_MONTHS = 3;
export const DEMO_SESSION_CAP = 10;
const MODES: Pick<ProgrammeSessionRow, 'mode' | 'place'>[] = [
  { mode: 'in_person', place: 'home' },
  { mode: 'phone', place: null },
  { mode: 'in_person', place: 'community_venue' },
  { mode: 'video', place: null },
  { mode: 'in_person', place: 'nhs_site' },
];
const NOTES = [
  'Talked about the first weeks at home and what has helped',
  'Looked at what a good day looks like and how to have more of them',
  'Went over early signs and who to tell',
  'Set a small goal for the week: a walk most mornings',
  'Talked through a difficult week and what got them through it',
];

export interface AllocatedDemoParticipant {
  index: number;
  participantId: string;
  workerId: string;
  dischargedOn: string;
  allocatedAt: Date;
}

/**
 * Roughly weekly sessions from a few days after allocation: most attended, now and then one
 * missed through illness or cancelled because something came up, and the next one booked for
 * most people still in their window. The most recently allocated has none yet; a few people
 * past their window had one more session agreed with a reason.
 */
export async function seedDemoSessions(
  tx: Db,
  sessions: ProgrammeSessionRepository,
  person: AllocatedDemoParticipant,
  now: Date,
  sectionKeys: readonly string[],
): Promise<void> {
  const { index: i, participantId, workerId, dischargedOn } = person;
  const today = ukToday(now);
  const windowEndsOn = addMonths(dischargedOn, DEMO_WINDOW_MONTHS);
  const session = (
    plannedOn: string,
    k: number,
    outcome: Partial<ProgrammeSessionRow>,
  ): ProgrammeSessionRow => {
    const plannedAt = fromUkWallClock(
      plannedOn,
      [10, 14, 11, 15][(i + k) % 4] ?? 10,
      (i + k) % 3 === 0 ? 30 : 0,
    );
    const bookedAt = new Date(
      Math.max(person.allocatedAt.getTime() + 3_600_000, plannedAt.getTime() - 6 * DAY),
    );
    const { mode, place } = MODES[(i + k) % MODES.length] ?? { mode: 'phone', place: null };
    return {
      id: randomUUID(),
      participantId,
      peerWorkerId: workerId,
      bookedBy: workerId,
      bookedAt,
      plannedAt,
      mode,
      place,
      status: 'planned',
      statusReason: null,
      statusReasonOther: null,
      durationMinutes: null,
      sections: [],
      storySharing: null,
      note: null,
      followUps: null,
      outsideWindowReason:
        plannedOn > windowEndsOn ? 'Agreed with my supervisor, to plan for after the programme' : null,
      recordedBy: null,
      recordedAt: null,
      submissionToken: randomUUID(),
      version: 1,
      isEnding: false,
      concernToRaise: false,
      ...outcome,
    };
  };
  const recorded = (row: ProgrammeSessionRow): Partial<ProgrammeSessionRow> => ({
    recordedBy: workerId,
    recordedAt: new Date(row.plannedAt.getTime() + 3 * 3_600_000),
  });
  const outcomeOf = (k: number): Partial<ProgrammeSessionRow> => {
    if ((i + k) % 6 === 2) return { status: 'did_not_attend', statusReason: 'unwell' };
    if ((i + k) % 8 === 5) return { status: 'cancelled_by_participant', statusReason: 'life_event' };
    const first = sectionKeys[(k * 2) % sectionKeys.length] ?? 'moving_on';
    const second = sectionKeys[(k * 2 + 1) % sectionKeys.length] ?? 'keeping_well';
    return {
      status: 'attended',
      durationMinutes: 35 + ((i * 7 + k * 11) % 6) * 5,
      sections: k === 0 ? ['moving_on'] : [first, second],
      storySharing: (i + k) % 3 !== 1,
      note: NOTES[(i + k) % NOTES.length] ?? null,
      followUps: k % 2 === 0 ? 'Try the plan section at home before next time' : null,
    };
  };

  // The first session about five days after discharge, then every week or so.
  let k = 0;
  let plannedOn = addDays(dischargedOn, 5 + (i % 3));
  let attendedOrPlanned = 0;
  while (plannedOn < today && plannedOn <= windowEndsOn && attendedOrPlanned < DEMO_SESSION_CAP) {
    const row = session(plannedOn, k, outcomeOf(k));
    const saved = { ...row, ...recorded(row) };
    if (i === 12 && k === 1) {
      // Recorded as missed by mistake, then changed: one session with history to show.
      const recordedAt = saved.recordedAt ?? row.plannedAt;
      await sessions.insert(tx, { ...saved, version: 3 });
      await sessions.insertRevision(tx, {
        id: randomUUID(),
        sessionId: row.id,
        version: 1,
        snapshot: { ...row },
        changedBy: workerId,
        changedAt: recordedAt,
        why: null,
      });
      await sessions.insertRevision(tx, {
        id: randomUUID(),
        sessionId: row.id,
        version: 2,
        snapshot: {
          ...row,
          status: 'did_not_attend',
          statusReason: 'unwell',
          recordedBy: workerId,
          recordedAt,
        },
        changedBy: workerId,
        changedAt: new Date(recordedAt.getTime() + DAY),
        why: 'I chose the wrong status: they came to the session',
      });
    } else {
      await sessions.insert(tx, saved);
    }
    if (saved.status === 'attended') attendedOrPlanned++;
    k++;
    plannedOn = addDays(plannedOn, 7 + ((i + k) % 3 === 0 ? 1 : 0));
  }

  if (windowEndsOn >= today) {
    // The next session, booked for most people still in the programme.
    if (i % 4 !== 3 && attendedOrPlanned < DEMO_SESSION_CAP) {
      const upcoming = addDays(today, 1 + (i % 6));
      if (upcoming <= windowEndsOn) await sessions.insert(tx, session(upcoming, k, {}));
    }
  } else if (i % 2 === 1) {
    // A few people past their window: one more session, agreed with a reason.
    const extra = addDays(windowEndsOn, 3);
    const row = session(extra, k, {});
    await sessions.insert(tx, extra < today ? { ...row, ...outcomeOf(k), ...recorded(row) } : row);
  }
}

/**
 * Attempts to reach people between sessions, kept consistent with their sessions: a text that
 * reached someone who then cancelled, and two people Pat cannot reach after their last session:
 * Olu Adeyemi (index 10) missed a session and has had two unanswered attempts since, and Hannah
 * Lewis (index 15) three, so "lost contact" may now be recorded for her (with the default of 3).
 * An unsuccessful attempt is only seeded after the person's last attended session.
 */
export async function seedDemoContactAttempts(
  tx: Db,
  attempts: ContactAttemptRepository,
  allocated: AllocatedDemoParticipant[],
  now: Date,
): Promise<void> {
  const add = async (
    index: number,
    daysAgo: number,
    hour: number,
    method: ContactMethod,
    outcome: ContactOutcome,
    note: string | null = null,
  ) => {
    const person = allocated.find((p) => p.index === index);
    if (!person) return;
    const madeAt = fromUkWallClock(isoDaysAgo(now, daysAgo), hour, 0);
    if (madeAt >= now || madeAt <= person.allocatedAt) return;
    const reached = REACHED_OUTCOMES.includes(outcome);
    const lastAttended = await attempts.lastAttendedAt(tx, person.participantId);
    if (!reached && lastAttended && madeAt <= lastAttended) return;
    await attempts.insert(tx, {
      id: randomUUID(),
      participantId: person.participantId,
      madeBy: person.workerId,
      madeAt,
      method,
      outcome,
      reached,
      note,
      recordedAt: new Date(madeAt.getTime() + 15 * 60_000),
      submissionToken: randomUUID(),
    });
  };
  await add(10, 14, 9, 'text', 'reply_received', 'They texted back to cancel today: something came up');
  await add(10, 6, 11, 'phone', 'message_left', 'Left a voicemail after the missed session');
  await add(10, 2, 15, 'text', 'message_left', 'Asked them to text back when they can');
  await add(15, 5, 10, 'phone', 'no_answer');
  await add(15, 3, 14, 'phone', 'no_answer', 'Rang again in the afternoon; no voicemail set up');
  await add(
    15,
    1,
    11,
    'visit',
    'no_answer',
    'No one in. A neighbour thought they might be staying with family',
  );
  await add(20, 2, 13, 'phone', 'spoke', 'Checked in between sessions; all fine');
  await add(6, 3, 10, 'text', 'reply_received');
  await add(8, 4, 16, 'phone', 'spoke');
}
