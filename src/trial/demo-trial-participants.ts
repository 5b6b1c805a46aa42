/**
 * The demo trial's randomised people as their crisis teams referred them: a participant record
 * each (names to fit the screening's initials, born in its year, an NHS number that checks),
 * referred the day before they were screened. Every record is linked but the newest
 * intervention group member's, left for the trial manager to link (the README says how); the
 * control group's with the intervention withheld, all but the newest posted the workbook. The
 * intervention group wait, like anyone referred, for a peer support worker.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { rowsOf } from '../platform/database/rows.ts';
import { participants } from '../platform/database/schema.ts';
import { addDays, fromUkWallClock, ukToday } from '../platform/calendar/uk-time.ts';
import { DEMO_TRIAL_ID } from './demo-trial.ts';
import { TrialParticipantsRepository } from './trial-participants.repository.ts';

const GIVEN: Record<string, string> = {
  A: 'Amira', B: 'Ben', C: 'Chloe', D: 'Dev', E: 'Erin', F: 'Farah', G: 'Grace', H: 'Hamza',
  J: 'Jodie', K: 'Kwame', L: 'Leah', M: 'Mo', N: 'Nadia', O: 'Owen', P: 'Priya', R: 'Ryan',
  S: 'Sam', T: 'Tom', W: 'Will', Z: 'Zara',
};
const FAMILY: Record<string, string> = {
  A: 'Ahmed', B: 'Brennan', C: 'Clarke', D: 'Doyle', F: 'Fraser', K: 'Kowalski', L: 'Lewis',
  M: 'Murray', N: 'Nwosu', P: 'Patel', Q: 'Quinn', S: 'Sharma', T: 'Turner', V: 'Varga',
  W: 'Walsh', Y: 'Young',
};

/**
 * A valid NHS number from a nine-digit stem: the modulus 11 check digit appended, the stem
 * moved on past any that has none. The demo's numbers start 999, never a real person's.
 */
export function demoNhsNumber(stem: number): string {
  for (let n = stem; ; n++) {
    const digits = String(n).padStart(9, '0');
    let sum = 0;
    for (let i = 0; i < 9; i++) sum += Number(digits.charAt(i)) * (10 - i);
    const check = 11 - (sum % 11);
    if (check === 10) continue;
    return `${digits}${String(check === 11 ? 0 : check)}`;
  }
}

/** The NHS number the demo gives the randomised person with this study number. */
export const demoTrialNhsNumber = (studyNumber: number) => demoNhsNumber(999_300_000 + studyNumber * 10);

export async function seedDemoTrialParticipants(db: Db): Promise<number> {
  const people = await rowsOf<{
    randomisationId: string;
    studyNumber: number;
    arm: 'intervention' | 'control';
    randomisedAt: Date | string;
    initials: string;
    yearOfBirth: number;
    trustId: string;
    crisisTeamId: string;
    screenedOn: string;
    manager: string;
    clinician: string | null;
  }>(
    db,
    sql`SELECT r.id AS "randomisationId", r.study_number AS "studyNumber", r.arm, r.randomised_at AS "randomisedAt",
               s.initials, s.year_of_birth AS "yearOfBirth", s.trust_id AS "trustId",
               s.crisis_team_id AS "crisisTeamId", s.screened_on::text AS "screenedOn",
               r.randomised_by AS manager,
               (SELECT u.id FROM staff_users u
                 WHERE u.crisis_team_id = s.crisis_team_id AND 'clinician' = ANY (u.roles)
                 ORDER BY u.email LIMIT 1) AS clinician
          FROM trial_randomisations r
          JOIN trial_consents c ON c.id = r.consent_id
          JOIN trial_screenings s ON s.id = c.screening_id
         WHERE r.trial_id = ${DEMO_TRIAL_ID} AND r.participant_id IS NULL
         ORDER BY r.study_number`,
  );
  const repository = new TrialParticipantsRepository();
  const controls = people.filter((p) => p.arm === 'control');
  const lastIntervention = people.findLast((p) => p.arm === 'intervention');
  await db.transaction(async (tx) => {
    for (const person of people) {
      if (!person.clinician) continue;
      const initials = person.initials;
      const id = randomUUID();
      const dischargedOn = addDays(person.screenedOn, -1);
      await tx.insert(participants).values({
        id,
        trustId: person.trustId,
        crisisTeamId: person.crisisTeamId,
        givenName: GIVEN[initials.charAt(0)] ?? 'Alex',
        familyName: FAMILY[initials.charAt(initials.length - 1)] ?? 'Smith',
        preferredName: null,
        dateOfBirth: `${String(person.yearOfBirth)}-06-15`,
        nhsNumber: demoTrialNhsNumber(person.studyNumber),
        email: null,
        // 07700 900xxx: Ofcom's numbers for drama, never a real phone.
        mobile: `07700900${String(700 + person.studyNumber).padStart(3, '0')}`,
        phone: null,
        address: null,
        postcode: null,
        contactMethods: ['sms', 'phone'],
        safeContactTimes: null,
        mayLeaveMessages: true,
        dischargedOn,
        dischargeDestination: 'gp',
        accessibilityNeeds: null,
        safetyInformation: null,
        referredBy: person.clinician,
        referredAt: fromUkWallClock(dischargedOn, 16, 0),
        submissionToken: randomUUID(),
      });
      const link = person !== lastIntervention;
      if (!link) continue;
      await repository.link(tx, person.randomisationId, id);
      const linkedOn = ukToday(new Date(person.randomisedAt));
      if (person.arm === 'control') {
        await repository.withhold(tx, id, 'trial_control', linkedOn);
        if (person === controls.at(-1)) continue;
        await repository.insertPosting(tx, {
          id: randomUUID(),
          trialId: DEMO_TRIAL_ID,
          randomisationId: person.randomisationId,
          postedOn: linkedOn,
          workbookVersion: '1.2',
          postedBy: person.manager,
          recordedAt: fromUkWallClock(linkedOn, 15, 0),
          submissionToken: randomUUID(),
        });
      }
    }
  });
  return people.length;
}
