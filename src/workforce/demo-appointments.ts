/**
 * The demo trust's open vacancy, mid-panel: a peer support worker post in the North team, with
 * Carol (chair), Sunita and Pat on the panel. Carol and Sunita have scored Alex; Pat has not yet,
 * so nobody can decide; nobody has scored Sam.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { addDays, ukToday } from '../platform/calendar/uk-time.ts';
import type { AppointmentCriteria } from './appointment-criteria.ts';
import type { AppointmentRepository } from './appointment.repository.ts';

export async function seedDemoAppointments(
  db: Db,
  store: Pick<AppointmentRepository, 'insertVacancy' | 'insertCandidate' | 'submitScores'>,
  criteria: AppointmentCriteria,
  p: { trustId: string; teamId: string; carol: string; sunita: string; pat: string },
  now: Date,
): Promise<void> {
  const vacancyId = randomUUID();
  await store.insertVacancy(
    db,
    {
      id: vacancyId,
      trustId: p.trustId,
      crisisTeamId: p.teamId,
      title: 'Peer support worker',
      hoursPerWeek: 30,
      closingOn: addDays(ukToday(now), -3),
      createdBy: p.carol,
      createdAt: new Date(now.getTime() - 20 * 86_400_000),
      submissionToken: randomUUID(),
    },
    [
      { staffId: p.carol, chair: true },
      { staffId: p.sunita, chair: false },
      { staffId: p.pat, chair: false },
    ],
  );
  const candidate = async (fullName: string, email: string) => {
    const id = randomUUID();
    await store.insertCandidate(db, {
      id,
      vacancyId,
      trustId: p.trustId,
      fullName,
      email,
      phone: null,
      addedBy: p.carol,
      addedAt: new Date(now.getTime() - 10 * 86_400_000),
      outcome: null,
      decisionReasons: null,
      decidedBy: null,
      decidedAt: null,
      staffId: null,
      submissionToken: randomUUID(),
    });
    return id;
  };
  const alex = await candidate('Alex Applicant', 'alex.applicant@example.com');
  await candidate('Sam Candidate', 'sam.candidate@example.com');
  for (const [memberId, scores] of [
    [p.carol, [3, 2, 3, 2, 3, 2]],
    [p.sunita, [3, 2, 2, 3, 3, 2]],
  ] as const) {
    await store.submitScores(
      db,
      criteria.criteria.map((c, i) => ({
        candidateId: alex,
        memberId,
        criterionKey: c.key,
        score: scores[i] ?? 2,
        note: i === 0 ? 'Spoke openly about their own recovery and what helped.' : null,
        submittedAt: new Date(now.getTime() - 2 * 86_400_000),
      })),
    );
  }
}
