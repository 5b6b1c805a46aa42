/**
 * The demo trial's follow-ups (trial mode only, after `demo-randomisation.ts`): the first five
 * people randomised are dated back (screening, consent and randomisation together, the trial's
 * opening with them) so that, today, one 4-month follow-up is overdue, three are due (one of them
 * already done by the outcome assessor, with their guess of the arm) and one is coming up; the
 * others' follow-ups are months away. Run before `demo-trial-participants.ts`, which makes and
 * links their participant records (so those due can be invited online) from the dates set here.
 * Deterministic from `now`, apart from the arms.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { rowsOf } from '../platform/database/rows.ts';
import { daysBetween, fromUkWallClock, addDays, ukToday } from '../platform/calendar/uk-time.ts';
import { trialFollowUps, trialQuestionnaireResponses } from '../platform/database/schema.ts';
import { DEMO_TRIAL_ID } from './demo-trial.ts';
import { loadInstruments, questionnaireResponse, scoreAnswers } from './instruments.ts';
import { loadFollowUpSchedule } from './follow-up-schedule.ts';

/** Days before today each of the first five was randomised: overdue, due, due and done, due, upcoming. */
export const DEMO_RANDOMISED_DAYS_AGO = [200, 140, 130, 118, 100] as const;

export async function seedDemoFollowUps(db: Db, now: Date): Promise<void> {
  const today = ukToday(now);
  const first = await rowsOf<{
    id: string;
    consentId: string;
    randomisedAt: Date | string;
    participantId: string | null;
  }>(
    db,
    sql`SELECT id, consent_id AS "consentId", randomised_at AS "randomisedAt", participant_id AS "participantId"
          FROM trial_randomisations WHERE trial_id = ${DEMO_TRIAL_ID} ORDER BY study_number LIMIT 5`,
  );
  const [, linked, done] = first;
  const timePoint = loadFollowUpSchedule(loadInstruments()).timePoints[0];
  if (first.length < DEMO_RANDOMISED_DAYS_AGO.length || !linked || !done || !timePoint) return;
  await db.transaction(async (tx) => {
    for (const [i, person] of first.entries()) {
      const back =
        (DEMO_RANDOMISED_DAYS_AGO[i] ?? 0) - daysBetween(ukToday(new Date(person.randomisedAt)), today);
      if (back <= 0) continue;
      await tx.execute(
        sql`UPDATE trial_randomisations SET randomised_at = randomised_at - make_interval(days => ${back}) WHERE id = ${person.id}`,
      );
      await tx.execute(
        sql`UPDATE trial_consents SET taken_on = taken_on - ${back}::int, recorded_at = recorded_at - make_interval(days => ${back})
             WHERE id = ${person.consentId}`,
      );
      await tx.execute(
        sql`UPDATE trial_screenings SET screened_on = screened_on - ${back}::int,
                   screened_at = screened_at - make_interval(days => ${back}),
                   approach_recorded_at = approach_recorded_at - make_interval(days => ${back})
             WHERE id = (SELECT screening_id FROM trial_consents WHERE id = ${person.consentId})`,
      );
    }
    await tx.execute(
      sql`UPDATE trials SET opened_at = least(opened_at,
            (SELECT min(screened_at) FROM trial_screenings WHERE trial_id = ${DEMO_TRIAL_ID}) - interval '7 days')
           WHERE id = ${DEMO_TRIAL_ID}`,
    );

    // The third was seen by the outcome assessor yesterday, who guessed they did not know the arm.
    const [assessor] = await rowsOf<{ id: string }>(
      tx,
      sql`SELECT id FROM staff_users WHERE 'outcome_assessor' = ANY(roles) ORDER BY email LIMIT 1`,
    );
    if (assessor) {
      const id = randomUUID();
      const at = fromUkWallClock(addDays(today, -1), 11, 30);
      await tx.insert(trialFollowUps).values({
        id,
        trialId: DEMO_TRIAL_ID,
        randomisationId: done.id,
        timePoint: timePoint.key,
        outcome: 'done',
        notDoneReason: null,
        completedBy: 'assessor',
        recordedBy: assessor.id,
        recordedAt: at,
        armGuess: 'dont_know',
        guessCertainty: null,
        submissionToken: randomUUID(),
      });
      const given = {
        coping: 'most',
        someone_to_talk_to: 'some',
        hopeful: 'some',
        sleep: 'most',
        know_what_to_do: 'always',
        days_out: 9,
      };
      await tx.insert(trialQuestionnaireResponses).values(
        timePoint.asked.map((instrument) => {
          const scored = scoreAnswers(instrument, given);
          return {
            id: randomUUID(),
            followUpId: id,
            questionnaire: instrument.canonical,
            response: questionnaireResponse(instrument, given, at) as unknown as Record<string, unknown>,
            score: scored.score,
            itemsMissing: scored.missing,
          };
        }),
      );
    }
  });
}
