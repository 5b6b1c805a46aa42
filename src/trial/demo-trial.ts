/**
 * The demo's trial in progress (trial mode only, called at start-up with the demo data): twenty
 * people screened over the last two months across both crisis teams by Tara Trial-Manager. Five
 * were not eligible (under 18 twice, an inpatient, no capacity to consent, no contact wanted,
 * one of them for two reasons), two declined, one was not approached, one is still to be
 * approached, and eleven consented: one of them has since withdrawn from the intervention only.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { fromUkWallClock } from '../platform/calendar/uk-time.ts';
import { isoDaysAgo } from '../demo/demo-programme.ts';
import { TeamRepository } from '../organisation/team.repository.ts';
import { StaffRepository } from '../organisation/staff.repository.ts';
import { loadEligibilityChecklist } from './eligibility-checklist.ts';
import { assessEligibility, type Answer } from './eligibility.ts';
import { TrialRepository } from './trial.repository.ts';
import type { WithdrawalScope } from './withdrawal-scopes.ts';

export const DEMO_TRIAL_ID = '7d2e1f3a-4b5c-4d6e-8f70-91a2b3c4d5e6';
const TRIAL_MANAGER = 'trial.manager@demo.greenleaf.nhs.uk';

interface DemoScreening {
  daysAgo: number;
  team: 'north' | 'south';
  initials: string;
  yearOfBirth: number;
  /** Answers that differ from an eligible person's. */
  differs?: Record<string, Answer>;
  approach?:
    | {
        outcome: 'consented';
        daysLater: number;
        withdrawal?: { scope: WithdrawalScope; daysAgo: number; reason: string | null };
      }
    | { outcome: 'declined' | 'not_approached'; reason: string | null };
}

const SCREENINGS: DemoScreening[] = [
  {
    daysAgo: 58,
    team: 'north',
    initials: 'AB',
    yearOfBirth: 1984,
    approach: { outcome: 'consented', daysLater: 2 },
  },
  {
    daysAgo: 56,
    team: 'south',
    initials: 'KM',
    yearOfBirth: 1991,
    approach: { outcome: 'consented', daysLater: 3 },
  },
  { daysAgo: 54, team: 'north', initials: 'TJ', yearOfBirth: 2009, differs: { aged_18_or_over: 'no' } },
  {
    daysAgo: 51,
    team: 'north',
    initials: 'SRP',
    yearOfBirth: 1975,
    approach: { outcome: 'declined', reason: 'Does not want to be randomised' },
  },
  {
    daysAgo: 49,
    team: 'south',
    initials: 'LO',
    yearOfBirth: 1988,
    approach: {
      outcome: 'consented',
      daysLater: 1,
      withdrawal: {
        scope: 'intervention',
        daysAgo: 12,
        reason: 'Found the sessions too much alongside starting a new job',
      },
    },
  },
  { daysAgo: 45, team: 'south', initials: 'DW', yearOfBirth: 1969, differs: { currently_inpatient: 'yes' } },
  {
    daysAgo: 43,
    team: 'north',
    initials: 'HN',
    yearOfBirth: 1996,
    approach: { outcome: 'consented', daysLater: 2 },
  },
  {
    daysAgo: 40,
    team: 'north',
    initials: 'PC',
    yearOfBirth: 1980,
    approach: { outcome: 'consented', daysLater: 4 },
  },
  { daysAgo: 37, team: 'south', initials: 'RB', yearOfBirth: 1958, differs: { has_capacity: 'no' } },
  {
    daysAgo: 33,
    team: 'north',
    initials: 'EF',
    yearOfBirth: 2001,
    approach: { outcome: 'not_approached', reason: 'Moved out of the area before they could be seen' },
  },
  {
    daysAgo: 30,
    team: 'south',
    initials: 'MA',
    yearOfBirth: 1993,
    approach: { outcome: 'consented', daysLater: 2 },
  },
  {
    daysAgo: 26,
    team: 'north',
    initials: 'GK',
    yearOfBirth: 1987,
    approach: { outcome: 'consented', daysLater: 1 },
  },
  {
    daysAgo: 24,
    team: 'south',
    initials: 'JY',
    yearOfBirth: 2010,
    differs: { aged_18_or_over: 'no', declined_contact: 'yes' },
  },
  {
    daysAgo: 21,
    team: 'north',
    initials: 'CS',
    yearOfBirth: 1972,
    approach: { outcome: 'consented', daysLater: 3 },
  },
  {
    daysAgo: 17,
    team: 'south',
    initials: 'NV',
    yearOfBirth: 1999,
    approach: { outcome: 'declined', reason: null },
  },
  { daysAgo: 14, team: 'north', initials: 'OI', yearOfBirth: 1983, differs: { declined_contact: 'yes' } },
  {
    daysAgo: 11,
    team: 'south',
    initials: 'BT',
    yearOfBirth: 1990,
    approach: { outcome: 'consented', daysLater: 2 },
  },
  {
    daysAgo: 8,
    team: 'north',
    initials: 'WL',
    yearOfBirth: 1978,
    approach: { outcome: 'consented', daysLater: 1 },
  },
  {
    daysAgo: 5,
    team: 'south',
    initials: 'FQ',
    yearOfBirth: 1995,
    approach: { outcome: 'consented', daysLater: 2 },
  },
  { daysAgo: 2, team: 'north', initials: 'ZD', yearOfBirth: 1986 },
];

/** Seeds the demo trial unless a trial is already there; answers whether it did. */
export async function seedDemoTrial(db: Db, trustId: string, now: Date): Promise<boolean> {
  const trials = new TrialRepository();
  if (await trials.theTrial(db)) return false;
  const checklist = loadEligibilityChecklist();
  const manager = await new StaffRepository().findByEmail(db, TRIAL_MANAGER);
  const teams = await new TeamRepository().listForTrust(db, trustId);
  const teamOf = (name: 'north' | 'south') => teams.find((t) => t.name.toLowerCase().startsWith(name));
  // A database holding only part of the demo (its accounts changed by hand, say) gets no trial.
  if (!manager || !teamOf('north') || !teamOf('south')) return false;
  const at = (daysAgo: number, hour: number) => fromUkWallClock(isoDaysAgo(now, daysAgo), hour, 0);

  await db.transaction(async (tx) => {
    await trials.insertTrial(tx, {
      id: DEMO_TRIAL_ID,
      name: 'PEERS: peer support after crisis care, a randomised trial (demo)',
      shortCode: 'PEERS-DEMO',
      openedAt: at(70, 9),
      lockedAt: null,
    });
    await trials.insertSite(tx, DEMO_TRIAL_ID, trustId);
    for (const person of SCREENINGS) {
      const team = teamOf(person.team);
      if (!team) throw new Error(`the demo trial needs the ${person.team} crisis team`);
      const answers: Record<string, Answer> = Object.fromEntries(
        checklist.criteria.map((c) => [c.key, c.kind === 'inclusion' ? 'yes' : 'no']),
      );
      Object.assign(answers, person.differs);
      const { eligible, reasons } = assessEligibility(checklist, answers);
      const id = randomUUID();
      const approach = person.approach;
      const decidedDaysAgo =
        approach?.outcome === 'consented' ? person.daysAgo - approach.daysLater : person.daysAgo - 1;
      await trials.insertScreening(tx, {
        id,
        trialId: DEMO_TRIAL_ID,
        trustId,
        crisisTeamId: team.id,
        screenedOn: isoDaysAgo(now, person.daysAgo),
        screenedBy: manager.id,
        screenedAt: at(person.daysAgo, 11),
        initials: person.initials,
        yearOfBirth: person.yearOfBirth,
        checklistVersion: checklist.version,
        answers,
        eligible,
        ineligibleReasons: reasons,
        approach: approach?.outcome ?? null,
        approachReason: approach && approach.outcome !== 'consented' ? approach.reason : null,
        approachRecordedBy: approach ? manager.id : null,
        approachRecordedAt: approach ? at(decidedDaysAgo, 15) : null,
        submissionToken: randomUUID(),
      });
      if (approach?.outcome !== 'consented') continue;
      const consentId = randomUUID();
      const takenOn = isoDaysAgo(now, decidedDaysAgo);
      await trials.insertConsent(tx, {
        id: consentId,
        screeningId: id,
        // Version 2.0 was approved on 14 October 2026; earlier consents used 1.1.
        documentVersion: takenOn >= '2026-10-14' ? '2.0' : '1.1',
        takenBy: manager.id,
        takenOn,
        recordedAt: at(decidedDaysAgo, 15),
        capacityConfirmed: true,
        submissionToken: randomUUID(),
      });
      if (!approach.withdrawal) continue;
      await trials.insertWithdrawal(tx, {
        id: randomUUID(),
        consentId,
        scope: approach.withdrawal.scope,
        withdrawnOn: isoDaysAgo(now, approach.withdrawal.daysAgo),
        reason: approach.withdrawal.reason,
        recordedBy: manager.id,
        recordedAt: at(approach.withdrawal.daysAgo, 14),
        submissionToken: randomUUID(),
      });
    }
  });
  return true;
}
