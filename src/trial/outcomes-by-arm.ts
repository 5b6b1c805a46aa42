/**
 * Outcomes by arm (PRODUCT.md section 7), for the unblinded statistician only: each randomised
 * participant's primary outcome (`primary-outcome.ts`) as the data stood at a moment (the lock,
 * or when a data monitoring committee report was asked for), counted per arm with data
 * completeness, and the arms compared (`outcome-statistics.ts`) when each has someone whose
 * outcome is known. Pure.
 */
import { ukToday } from '../platform/calendar/uk-time.ts';
import { compareArms, type ArmComparison } from './outcome-statistics.ts';
import { primaryOutcome, type PrimaryOutcomeStatus } from './primary-outcome.ts';
import type { Arm } from './randomisation.ts';
import type { WithdrawalScope } from './withdrawal-scopes.ts';

export interface OutcomeData {
  randomisations: { id: string; arm: Arm; randomisedAt: Date }[];
  episodes: { randomisationId: string; kind: string; startedOn: string; recordedAt: Date }[];
  withdrawals: { randomisationId: string; scope: WithdrawalScope; withdrawnOn: string; recordedAt: Date }[];
}

export interface ArmCounts {
  randomised: number;
  /** Readmitted or not: the denominator of the comparison. */
  known: number;
  readmitted: number;
  notYetKnown: number;
  missing: number;
  excluded: number;
  /** The median days to the first readmission of those readmitted. */
  medianDaysToReadmission: number | null;
}

export interface OutcomesByArm {
  asOf: string;
  arms: Record<Arm, ArmCounts>;
  /** Null until both arms have someone whose outcome is known. */
  comparison: ArmComparison | null;
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (i: number) => sorted[i] ?? 0;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? at(middle) : (at(middle - 1) + at(middle)) / 2;
};

/** The outcomes by arm from what was recorded up to `at`, judged on that day (UK date). */
export function outcomesByArm(data: OutcomeData, at: Date, countingKinds: ReadonlySet<string>): OutcomesByArm {
  const asOf = ukToday(at);
  const upTo = <T extends { randomisationId: string; recordedAt: Date }>(rows: T[], id: string) =>
    rows.filter((r) => r.randomisationId === id && r.recordedAt.getTime() <= at.getTime());
  const empty = (): ArmCounts & { days: number[] } => ({
    randomised: 0,
    known: 0,
    readmitted: 0,
    notYetKnown: 0,
    missing: 0,
    excluded: 0,
    medianDaysToReadmission: null,
    days: [],
  });
  const arms = { intervention: empty(), control: empty() };
  for (const r of data.randomisations) {
    if (r.randomisedAt.getTime() > at.getTime()) continue;
    const outcome = primaryOutcome({
      randomisedOn: ukToday(r.randomisedAt),
      asOf,
      episodes: upTo(data.episodes, r.id),
      withdrawals: upTo(data.withdrawals, r.id),
      countingKinds,
    });
    const arm = arms[r.arm];
    arm.randomised += 1;
    const counted: Record<PrimaryOutcomeStatus, () => void> = {
      readmitted: () => {
        arm.known += 1;
        arm.readmitted += 1;
        if (outcome.daysToReadmission !== null) arm.days.push(outcome.daysToReadmission);
      },
      not_readmitted: () => (arm.known += 1),
      not_yet_known: () => (arm.notYetKnown += 1),
      missing: () => (arm.missing += 1),
      excluded: () => (arm.excluded += 1),
    };
    counted[outcome.status]();
  }
  const finished = (arm: ArmCounts & { days: number[] }): ArmCounts => {
    const { days, ...counts } = arm;
    return { ...counts, medianDaysToReadmission: median(days) };
  };
  const intervention = finished(arms.intervention);
  const control = finished(arms.control);
  return {
    asOf,
    arms: { intervention, control },
    comparison:
      intervention.known > 0 && control.known > 0
        ? compareArms(
            { events: intervention.readmitted, known: intervention.known },
            { events: control.readmitted, known: control.known },
          )
        : null,
  };
}
