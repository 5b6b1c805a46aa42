/** Outcomes by arm as the statistician's page shows them: counts, risks and intervals in words and figures. Pure. */
import type { Interval } from './outcome-statistics.ts';
import type { ArmCounts, OutcomesByArm } from './outcomes-by-arm.ts';
import { ARM_NAMES } from './randomisation.service.ts';
import type { Arm } from './randomisation.ts';

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;
const ratio = (x: number) => x.toFixed(2);
const points = (d: number) => `${d > 0 ? '+' : d < 0 ? '−' : ''}${(Math.abs(d) * 100).toFixed(1)}`;

const interval = (i: Interval, show: (x: number) => string) => `${show(i.estimate)} (${show(i.lower)} to ${show(i.upper)})`;

const outOf = (n: number, of: number) => (of === 0 ? '0' : `${String(n)} of ${String(of)} (${percent(n / of)})`);

export interface ArmRow {
  arm: Arm;
  name: string;
  counts: ArmCounts;
  risk: string | null;
  completeness: string;
  missing: string;
  excluded: string;
  notYetKnown: string;
}

export function outcomesView(outcomes: OutcomesByArm) {
  const arms = (['intervention', 'control'] as const).map((arm): ArmRow => {
    const counts = outcomes.arms[arm];
    const risk = outcomes.comparison?.[arm];
    return {
      arm,
      name: ARM_NAMES[arm],
      counts,
      risk: risk ? interval(risk, percent) : null,
      completeness: outOf(counts.known, counts.randomised),
      missing: outOf(counts.missing, counts.randomised),
      excluded: outOf(counts.excluded, counts.randomised),
      notYetKnown: outOf(counts.notYetKnown, counts.randomised),
    };
  });
  const c = outcomes.comparison;
  return {
    asOf: outcomes.asOf,
    arms,
    riskDifference: c ? `${interval(c.riskDifference, points)} percentage points` : null,
    oddsRatio: c ? interval(c.oddsRatio, ratio) : null,
  };
}
