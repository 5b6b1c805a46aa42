/**
 * The trial's primary outcome for one participant (PRODUCT.md section 7): readmission to acute
 * care within 365 days of randomisation, that is an episode of a kind that counts toward it
 * (`acute-care-episodes.json`) starting on day 1 to day 365 after the day they were randomised
 * (UK calendar dates; the day of randomisation is day 0). Pure.
 *
 * - readmitted: such an episode is recorded (for someone who withdrew from follow-up, one that
 *   started on or before the day they withdrew);
 * - not readmitted: day 365 has passed with none;
 * - not yet known: day 365 has not passed yet;
 * - missing: they withdrew from follow-up before day 365 with none recorded up to then;
 * - excluded: they withdrew from any use of their data (nothing of theirs is analysed).
 */
import { addDays, daysBetween } from '../platform/calendar/uk-time.ts';
import type { WithdrawalScope } from './withdrawal-scopes.ts';

export const FOLLOW_UP_DAYS = 365;

export type PrimaryOutcomeStatus = 'readmitted' | 'not_readmitted' | 'not_yet_known' | 'missing' | 'excluded';

export interface PrimaryOutcome {
  status: PrimaryOutcomeStatus;
  /** Days from randomisation to the first readmission (1 to 365), when readmitted. */
  daysToReadmission: number | null;
}

export interface PrimaryOutcomeInput {
  /** The UK date they were randomised. */
  randomisedOn: string;
  /** The UK date the outcome is judged on (today, or the day the trial was locked). */
  asOf: string;
  episodes: readonly { kind: string; startedOn: string }[];
  withdrawals: readonly { scope: WithdrawalScope; withdrawnOn: string }[];
  countingKinds: ReadonlySet<string>;
}

export function primaryOutcome(input: PrimaryOutcomeInput): PrimaryOutcome {
  if (input.withdrawals.some((w) => w.scope === 'data')) return { status: 'excluded', daysToReadmission: null };
  const lastDay = addDays(input.randomisedOn, FOLLOW_UP_DAYS);
  const followUpEnds = input.withdrawals
    .filter((w) => w.scope === 'follow_up')
    .map((w) => w.withdrawnOn)
    .sort()[0];
  // Followed up to the earliest of day 365, the day they withdrew from follow-up, and today.
  const until = [followUpEnds, input.asOf].reduce<string>((a, d) => (d !== undefined && d < a ? d : a), lastDay);
  const first = input.episodes
    .filter(
      (e) => input.countingKinds.has(e.kind) && e.startedOn > input.randomisedOn && e.startedOn <= until,
    )
    .map((e) => e.startedOn)
    .sort()[0];
  if (first !== undefined)
    return { status: 'readmitted', daysToReadmission: daysBetween(input.randomisedOn, first) };
  if (followUpEnds !== undefined && followUpEnds < lastDay && followUpEnds <= input.asOf)
    return { status: 'missing', daysToReadmission: null };
  if (input.asOf > lastDay) return { status: 'not_readmitted', daysToReadmission: null };
  return { status: 'not_yet_known', daysToReadmission: null };
}
