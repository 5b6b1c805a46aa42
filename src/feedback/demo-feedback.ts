/**
 * Demo data for participants' feedback (called from src/demo/seed.ts): people who went through
 * the programme earlier in the year, their sessions and endings, and what they told us. Twelve
 * from the North team, so its report shows figures (with some answers withheld as small, and
 * one question fewer than 5 people answered); three from the South team, too few for any
 * figure. Josh Hall and Leah Cooper, whose programmes ended lately, have not been asked yet.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { ParticipantRepository } from '../participants/participant.repository.ts';
import { ProgrammeSessionRepository } from '../sessions/session.repository.ts';
import { EndingRepository } from '../endings/ending.repository.ts';
import { sectionsWorkedOn } from '../endings/endings.service.ts';
import type { PlanTemplates } from '../plan/plan-template.ts';
import { testNhsNumber } from '../demo/seed.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { DAY, isoDaysAgo, seedDemoSessions } from '../demo/demo-programme.ts';
import { FeedbackRepository } from './feedback.repository.ts';
import { PREFER_NOT, type FeedbackAnswer } from './feedback-questions.ts';

/** Answers in the order of feedback-questions.json; null is a question left blank. */
type Answers = [
  FeedbackAnswer | null,
  FeedbackAnswer | null,
  FeedbackAnswer | null,
  FeedbackAnswer | null,
  FeedbackAnswer | null,
];
const KEYS = ['sessions_helped', 'worker_understood', 'plan_useful', 'felt_safe', 'would_recommend'];
const P = PREFER_NOT;

interface PastParticipant {
  givenName: string;
  familyName: string;
  team: 'north' | 'south';
  /** Days before the demo's today that they left the crisis team. */
  dischargedDaysAgo: number;
  feedback: { answers: Answers; comment: string | null } | 'declined' | null;
}

const PAST: PastParticipant[] = [
  {
    givenName: 'Alan',
    familyName: 'Pearson',
    team: 'north',
    dischargedDaysAgo: 330,
    feedback: {
      answers: [5, 5, 4, 5, 5],
      comment: 'Having someone who had been through it made all the difference. I did not feel judged.',
    },
  },
  {
    givenName: 'Bella',
    familyName: 'Osei',
    team: 'north',
    dischargedDaysAgo: 310,
    feedback: {
      answers: [5, 4, P, 5, 5],
      comment: 'The walks helped more than I expected. I still go on my own now.',
    },
  },
  {
    givenName: 'Carl',
    familyName: 'Dunn',
    team: 'north',
    dischargedDaysAgo: 290,
    feedback: { answers: [4, 5, null, 5, 5], comment: null },
  },
  { givenName: 'Dina', familyName: 'Kowalski', team: 'north', dischargedDaysAgo: 275, feedback: 'declined' },
  {
    givenName: 'Eddie',
    familyName: 'Marsh',
    team: 'north',
    dischargedDaysAgo: 260,
    feedback: {
      answers: [5, 5, 4, 5, 4],
      comment: 'I wish the sessions had gone on a bit longer. Ten went quickly.',
    },
  },
  {
    givenName: 'Fatima',
    familyName: 'Begum',
    team: 'north',
    dischargedDaysAgo: 240,
    feedback: {
      answers: [5, 4, P, 5, 5],
      comment: 'My worker understood what I was going through because she had been there herself.',
    },
  },
  {
    givenName: 'Gary',
    familyName: 'Holt',
    team: 'north',
    dischargedDaysAgo: 220,
    feedback: {
      answers: [3, 4, 3, 4, 4],
      comment: 'Some weeks it was hard to find a time that suited me. Evening sessions would help.',
    },
  },
  {
    givenName: 'Hana',
    familyName: 'Sato',
    team: 'north',
    dischargedDaysAgo: 200,
    feedback: { answers: [5, 5, null, 5, 5], comment: null },
  },
  {
    givenName: 'Ian',
    familyName: 'Byrne',
    team: 'north',
    dischargedDaysAgo: 180,
    feedback: {
      answers: [4, 4, P, 5, 5],
      comment: 'Writing the plan felt strange at first but I use the early warning signs page a lot.',
    },
  },
  {
    givenName: 'Jade',
    familyName: 'Robinson',
    team: 'north',
    dischargedDaysAgo: 165,
    feedback: { answers: [5, 4, null, 5, 4], comment: null },
  },
  {
    givenName: 'Kofi',
    familyName: 'Asante',
    team: 'north',
    dischargedDaysAgo: 150,
    feedback: { answers: [5, 5, 3, 5, 5], comment: null },
  },
  { givenName: 'Lena', familyName: 'Fischer', team: 'north', dischargedDaysAgo: 135, feedback: 'declined' },
  {
    givenName: 'Mo',
    familyName: 'Farouk',
    team: 'south',
    dischargedDaysAgo: 300,
    feedback: {
      answers: [4, 4, 4, 5, 4],
      comment: 'It helped to have someone to talk to who was not a nurse.',
    },
  },
  {
    givenName: 'Nadia',
    familyName: 'Petrova',
    team: 'south',
    dischargedDaysAgo: 230,
    feedback: { answers: [2, 3, 2, 4, 3], comment: null },
  },
  { givenName: 'Owen', familyName: 'Rees', team: 'south', dischargedDaysAgo: 170, feedback: 'declined' },
];

/** Past the demo's 30 people and clear of the factories' numbers (1000 up). */
const FIRST_INDEX = 40;

export interface DemoFeedbackSetting {
  trustId: string;
  teams: Record<'north' | 'south', string>;
  /** Peer support workers of each team, and the clinician who referred. */
  workers: Record<'north' | 'south', readonly string[]>;
  clinicians: Record<'north' | 'south', string>;
  coordinator: string;
  templates: PlanTemplates;
}

export async function seedDemoFeedback(tx: Db, setting: DemoFeedbackSetting, now: Date): Promise<void> {
  const participants = new ParticipantRepository();
  const sessions = new ProgrammeSessionRepository();
  const endings = new EndingRepository();
  const feedback = new FeedbackRepository();
  const sectionKeys = setting.templates.enabledSections.map((section) => section.key);
  for (const [n, past] of PAST.entries()) {
    const index = FIRST_INDEX + n;
    const id = randomUUID();
    const dischargedOn = isoDaysAgo(now, past.dischargedDaysAgo);
    const referredAt = new Date(now.getTime() - past.dischargedDaysAgo * DAY + 3_600_000);
    const workers = setting.workers[past.team];
    const workerId = workers[n % workers.length] ?? setting.coordinator;
    await participants.insert(tx, {
      id,
      trustId: setting.trustId,
      crisisTeamId: setting.teams[past.team],
      givenName: past.givenName,
      familyName: past.familyName,
      preferredName: null,
      dateOfBirth: `${1965 + ((n * 5) % 35)}-${String((n % 12) + 1).padStart(2, '0')}-${String((n % 27) + 1).padStart(2, '0')}`,
      nhsNumber: testNhsNumber(index),
      email: null,
      mobile: `+4477009${String(index).padStart(5, '0')}`,
      phone: null,
      address: `${index + 1} Example Street, Leeds`,
      postcode: 'LS1 4AP',
      contactMethods: ['sms', 'phone'],
      safeContactTimes: null,
      mayLeaveMessages: true,
      dischargedOn,
      dischargeDestination: n % 2 === 0 ? 'gp' : 'cmht',
      accessibilityNeeds: null,
      safetyInformation: null,
      reminderChannel: 'sms',
      reminderEarliestHour: 9,
      reminderLatestHour: 20,
      referredBy: setting.clinicians[past.team],
      referredAt,
      planSharingChosenAt: new Date(referredAt.getTime() + 3_600_000),
      submissionToken: randomUUID(),
      version: 1,
    });
    const allocatedAt = new Date(referredAt.getTime() + DAY);
    await participants.insertAllocation(tx, {
      id: randomUUID(),
      participantId: id,
      peerWorkerId: workerId,
      allocatedBy: setting.coordinator,
      allocatedAt,
      reason: null,
      endedAt: null,
      endedBy: null,
    });
    const person = { index, participantId: id, workerId, dischargedOn, allocatedAt };
    await seedDemoSessions(tx, sessions, person, now, sectionKeys);

    // Ended at their last attended session, as their worker recorded it.
    const all = await sessions.listForParticipant(tx, id);
    const attended = all.filter((s) => s.status === 'attended');
    const last = attended.at(-1);
    if (!last || all.some((s) => s.status === 'planned')) continue;
    await endings.markEndingSession(tx, last.id);
    const endedOn = ukToday(last.plannedAt);
    await endings.insert(tx, {
      participantId: id,
      reason: 'completed',
      reasonOther: null,
      endedOn,
      sessionsAttended: attended.length,
      sections: sectionsWorkedOn(attended, setting.templates),
      onwardSupport: 'Their GP, and a local peer support group.',
      message: null,
      shareConsent: 'not_asked',
      recordedBy: workerId,
      recordedAt: new Date(last.plannedAt.getTime() + 3 * 3_600_000),
      version: 1,
    });

    if (!past.feedback) continue;
    await feedback.insertResponse(tx, {
      participantId: id,
      outcome: past.feedback === 'declined' ? 'declined' : 'given',
      submissionToken: randomUUID(),
    });
    if (past.feedback === 'declined') continue;
    const answers: Record<string, FeedbackAnswer> = {};
    for (const [i, key] of KEYS.entries()) {
      const answer = past.feedback.answers[i];
      if (answer !== null && answer !== undefined) answers[key] = answer;
    }
    await feedback.insertFeedback(tx, {
      id: randomUUID(),
      trustId: setting.trustId,
      crisisTeamId: setting.teams[past.team],
      endedMonth: `${endedOn.slice(0, 7)}-01`,
      answers,
      comment: past.feedback.comment,
    });
  }
}
