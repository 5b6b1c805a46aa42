/**
 * The demo trial's randomisations: everyone who consented and has not withdrawn, in the order
 * they consented, a day after consent, each through `assignNextSlot` as the trial manager's
 * "Randomise" does, except the two who consented last, left for the demo to randomise.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { rowsOf } from '../platform/database/rows.ts';
import { RandomisationRepository } from './randomisation.repository.ts';
import { assignNextSlot } from './randomisation.service.ts';
import { DEMO_TRIAL_ID } from './demo-trial.ts';

/** Consented people the demo leaves for someone to randomise. */
export const LEFT_TO_RANDOMISE = 2;

export async function seedDemoRandomisations(db: Db): Promise<number> {
  const people = await rowsOf<{
    consentId: string;
    crisisTeamId: string;
    takenBy: string;
    recordedAt: Date | string;
    shortCode: string;
  }>(
    db,
    sql`SELECT c.id AS "consentId", s.crisis_team_id AS "crisisTeamId", c.taken_by AS "takenBy",
               c.recorded_at AS "recordedAt", t.short_code AS "shortCode"
          FROM trial_consents c
          JOIN trial_screenings s ON s.id = c.screening_id
          JOIN trials t ON t.id = s.trial_id
         WHERE s.trial_id = ${DEMO_TRIAL_ID}
           AND NOT EXISTS (SELECT 1 FROM trial_withdrawals w WHERE w.consent_id = c.id)
           AND NOT EXISTS (SELECT 1 FROM trial_randomisations r WHERE r.consent_id = c.id)
         ORDER BY c.recorded_at, c.id`,
  );
  const toRandomise = people.slice(0, Math.max(0, people.length - LEFT_TO_RANDOMISE));
  const repository = new RandomisationRepository();
  await db.transaction(async (tx) => {
    for (const person of toRandomise) {
      await assignNextSlot(tx, repository, randomInt, {
        trial: { id: DEMO_TRIAL_ID, shortCode: person.shortCode },
        crisisTeamId: person.crisisTeamId,
        consentId: person.consentId,
        by: person.takenBy,
        at: new Date(new Date(person.recordedAt).getTime() + 86_400_000),
        submissionToken: randomUUID(),
      });
    }
  });
  return toRandomise.length;
}
