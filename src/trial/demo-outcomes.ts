/**
 * The demo's completed pilot trial, for the unblinded statistician (trial mode only, seeded at
 * start-up after the trial in progress): PEERS-PILOT, opened about two and a half years ago at
 * the demo trust, 64 screened over its first year (four not eligible, sixty consented), every one
 * randomised through `assignNextSlot` as the trial manager's "Randomise" does (its sequence drawn
 * from a fixed seed, so the demo is the same every time), their acute-care episodes recorded by
 * the outcome assessor, two withdrawals from follow-up and one from any use of their data, and
 * the database locked a month ago. Its readmissions come to about 29% with peer support and 38%
 * with usual care. Opened before the trial in progress, it is never "the trial" of the pages.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { rowsOf } from '../platform/database/rows.ts';
import { trials as trialsTable } from '../platform/database/schema.ts';
import { addDays, fromUkWallClock, ukToday } from '../platform/calendar/uk-time.ts';
import { isoDaysAgo } from '../demo/demo-programme.ts';
import { TeamRepository } from '../organisation/team.repository.ts';
import { StaffRepository } from '../organisation/staff.repository.ts';
import { loadEligibilityChecklist } from './eligibility-checklist.ts';
import { assessEligibility, type Answer } from './eligibility.ts';
import { TrialRepository } from './trial.repository.ts';
import { RandomisationRepository } from './randomisation.repository.ts';
import { assignNextSlot } from './randomisation.service.ts';
import { AcuteEpisodeRepository } from './acute-episode.repository.ts';
import type { Arm } from './randomisation.ts';

export const PILOT_TRIAL_ID = '5c1b0e2d-3a4f-4b6c-9d7e-8f9012a3b4c5';
const TRIAL_MANAGER = 'trial.manager@demo.greenleaf.nhs.uk';
const ASSESSOR = 'assessor@demo.greenleaf.nhs.uk';
const PEOPLE = 64;
const NOT_ELIGIBLE = new Map<number, Record<string, Answer>>([
  [5, { aged_18_or_over: 'no' }],
  [19, { has_capacity: 'no' }],
  [33, { currently_inpatient: 'yes' }],
  [50, { declined_contact: 'yes' }],
]);
/** Readmitted within 365 days per 100 in each arm: the pilot's result. */
const READMITTED_PER_100: Record<Arm, number> = { intervention: 29, control: 38 };
const KINDS = ['inpatient_admission', 'crisis_team_re_referral', 'crisis_house', 'acute_day_unit'];
const SOURCES = ['hospital_records', 'crisis_team_records', 'gp_records', 'participant'];
const INITIALS = ['AJ', 'BK', 'CL', 'DM', 'EN', 'FO', 'GP', 'HR', 'IS', 'JT', 'KU', 'LW', 'MY', 'NZ'];

/** A small fixed-seed generator (a linear congruential one): the same allocations every time. */
function seeded(seed: number) {
  let state = seed >>> 0;
  return (below: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % below;
  };
}

/** Seeds the pilot unless it is there; answers whether it did. */
export async function seedDemoPilot(db: Db, trustId: string, now: Date): Promise<boolean> {
  if ((await db.select({ id: trialsTable.id }).from(trialsTable).where(eq(trialsTable.id, PILOT_TRIAL_ID))).length)
    return false;
  const staff = new StaffRepository();
  const manager = await staff.findByEmail(db, TRIAL_MANAGER);
  const assessor = await staff.findByEmail(db, ASSESSOR);
  const teams = await new TeamRepository().listForTrust(db, trustId);
  if (!manager || !assessor || teams.length === 0) return false;
  const checklist = loadEligibilityChecklist();
  const trials = new TrialRepository();
  const randomisations = new RandomisationRepository();
  const episodes = new AcuteEpisodeRepository();
  const random = seeded(20240611);
  const at = (isoDate: string, hour: number) => fromUkWallClock(isoDate, hour, 0);
  const lockedOn = isoDaysAgo(now, 30);

  await db.transaction(async (tx) => {
    await trials.insertTrial(tx, {
      id: PILOT_TRIAL_ID,
      name: 'PEERS pilot: peer support after crisis care, a feasibility trial (demo, completed)',
      shortCode: 'PEERS-PILOT',
      openedAt: at(isoDaysAgo(now, 900), 9),
      lockedAt: null,
    });
    await trials.insertSite(tx, PILOT_TRIAL_ID, trustId);
    const randomised: { id: string; arm: Arm; on: string; consentId: string }[] = [];
    for (let i = 0; i < PEOPLE; i += 1) {
      const team = teams[i % teams.length] ?? teams[0];
      if (!team) throw new Error('the demo pilot needs a crisis team');
      const screenedOn = isoDaysAgo(now, 895 - i * 5);
      const answers: Record<string, Answer> = Object.fromEntries(
        checklist.criteria.map((c) => [c.key, c.kind === 'inclusion' ? 'yes' : 'no']),
      );
      Object.assign(answers, NOT_ELIGIBLE.get(i));
      const { eligible, reasons } = assessEligibility(checklist, answers);
      const screeningId = randomUUID();
      const consentedOn = addDays(screenedOn, 2);
      await trials.insertScreening(tx, {
        id: screeningId,
        trialId: PILOT_TRIAL_ID,
        trustId,
        crisisTeamId: team.id,
        screenedOn,
        screenedBy: manager.id,
        screenedAt: at(screenedOn, 11),
        initials: INITIALS[i % INITIALS.length] ?? 'AB',
        yearOfBirth: 1960 + ((i * 7) % 40),
        checklistVersion: checklist.version,
        answers,
        eligible,
        ineligibleReasons: reasons,
        approach: eligible ? 'consented' : null,
        approachReason: null,
        approachRecordedBy: eligible ? manager.id : null,
        approachRecordedAt: eligible ? at(consentedOn, 15) : null,
        submissionToken: randomUUID(),
      });
      if (!eligible) continue;
      const consentId = randomUUID();
      await trials.insertConsent(tx, {
        id: consentId,
        screeningId,
        documentVersion: '1.1',
        takenBy: manager.id,
        takenOn: consentedOn,
        recordedAt: at(consentedOn, 15),
        capacityConfirmed: true,
        submissionToken: randomUUID(),
      });
      const row = await assignNextSlot(tx, randomisations, random, {
        trial: { id: PILOT_TRIAL_ID, shortCode: 'PEERS-PILOT' },
        crisisTeamId: team.id,
        consentId,
        by: manager.id,
        at: at(addDays(consentedOn, 1), 10),
        submissionToken: randomUUID(),
      });
      randomised.push({ id: row.id, arm: row.arm, on: ukToday(row.randomisedAt), consentId });
    }

    // Each arm's people in turn: the first READMITTED_PER_100 of every 100 (spread by a stride)
    // are readmitted on a day from 9 to 351; a few others have an episode after day 365 only.
    const seen: Record<Arm, number> = { intervention: 0, control: 0 };
    for (const person of randomised) {
      const j = seen[person.arm]++;
      const readmitted = (j * 37) % 100 < READMITTED_PER_100[person.arm];
      // One withdrawal from follow-up in each arm, and one from any use of their data.
      const withdrawal =
        j === 6 || (j === 20 && person.arm === 'control')
          ? { scope: 'follow_up' as const, day: 120 + j * 5 }
          : j === 11 && person.arm === 'intervention'
            ? { scope: 'data' as const, day: 60 }
            : undefined;
      const day = readmitted ? 9 + ((j * 83) % 343) : j % 5 === 0 ? 380 + j : null;
      if (day !== null && !(withdrawal?.scope === 'follow_up' && readmitted && day > withdrawal.day)) {
        const kind = KINDS[j % KINDS.length] ?? 'inpatient_admission';
        const startedOn = addDays(person.on, day);
        const stay = kind === 'inpatient_admission' ? 14 + (j % 20) : kind === 'crisis_team_re_referral' ? null : 5 + (j % 6);
        await episodes.insert(tx, {
          id: randomUUID(),
          trialId: PILOT_TRIAL_ID,
          randomisationId: person.id,
          kind,
          startedOn,
          endedOn: stay === null ? null : addDays(startedOn, stay),
          source: SOURCES[j % SOURCES.length] ?? 'hospital_records',
          notes: null,
          recordedBy: assessor.id,
          recordedAt: at(addDays(startedOn, 40), 10),
          changedBy: null,
          changedAt: null,
          version: 1,
          submissionToken: randomUUID(),
        });
      }
      if (withdrawal)
        await trials.insertWithdrawal(tx, {
          id: randomUUID(),
          consentId: person.consentId,
          scope: withdrawal.scope,
          withdrawnOn: addDays(person.on, withdrawal.day),
          reason: null,
          recordedBy: manager.id,
          recordedAt: at(addDays(person.on, withdrawal.day), 14),
          submissionToken: randomUUID(),
        });
    }
    await rowsOf(
      tx,
      sql`UPDATE trials SET locked_at = ${at(lockedOn, 12).toISOString()}::timestamptz WHERE id = ${PILOT_TRIAL_ID} RETURNING id`,
    );
  });
  return true;
}

/**
 * A few acute-care episodes of the trial in progress, recorded by the outcome assessor: a crisis
 * house stay of the first randomised and a crisis team re-referral of the second.
 */
export async function seedDemoEpisodes(db: Db, trialId: string, now: Date): Promise<number> {
  const assessor = await new StaffRepository().findByEmail(db, ASSESSOR);
  if (!assessor) return 0;
  const people = await rowsOf<{ id: string; randomisedAt: Date | string }>(
    db,
    sql`SELECT id, randomised_at AS "randomisedAt" FROM trial_randomisations
         WHERE trial_id = ${trialId} ORDER BY study_number LIMIT 2`,
  );
  const today = ukToday(now);
  const planned = [
    { kind: 'crisis_house', afterDays: 20, stay: 6, source: 'crisis_team_records' },
    { kind: 'crisis_team_re_referral', afterDays: 12, stay: null, source: 'participant' },
  ];
  const episodes = new AcuteEpisodeRepository();
  let seeded = 0;
  for (const [i, person] of people.entries()) {
    const plan = planned[i];
    if (!plan) break;
    const startedOn = addDays(ukToday(new Date(person.randomisedAt)), plan.afterDays);
    const endedOn = plan.stay === null ? null : addDays(startedOn, plan.stay);
    if (startedOn >= today || (endedOn !== null && endedOn > today)) continue;
    await episodes.insert(db, {
      id: randomUUID(),
      trialId,
      randomisationId: person.id,
      kind: plan.kind,
      startedOn,
      endedOn,
      source: plan.source,
      notes: plan.stay === null ? null : 'Six nights, then home with the crisis team visiting.',
      recordedBy: assessor.id,
      recordedAt: fromUkWallClock(today, 9, 0),
      changedBy: null,
      changedAt: null,
      version: 1,
      submissionToken: randomUUID(),
    });
    seeded += 1;
  }
  return seeded;
}
