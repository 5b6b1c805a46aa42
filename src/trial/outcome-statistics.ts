/**
 * Comparing the trial's arms on a yes/no outcome (readmission to acute care within 365 days of
 * randomisation): each arm's risk with its Wilson score interval, the risk difference with
 * Newcombe's hybrid score interval (his method 10: good coverage at the sizes a trial like this
 * has, and never outside -1 to 1), and the odds ratio with Woolf's logit interval (0.5 added to
 * every cell when any is 0). 95% intervals by default. Pure: unit-tested against published
 * worked examples.
 */

/** The normal quantile for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

export interface ArmOutcome {
  events: number;
  /** Participants with the outcome known (the denominator). */
  known: number;
}

export interface ArmComparison {
  intervention: Interval;
  control: Interval;
  riskDifference: Interval;
  oddsRatio: Interval;
}

function check({ events, known }: ArmOutcome): void {
  if (!Number.isInteger(events) || !Number.isInteger(known) || events < 0 || known <= 0 || events > known)
    throw new Error(`an arm needs 0 to ${String(known)} events of at least 1 known, not ${String(events)}`);
}

/** A proportion with its Wilson score interval. */
export function wilson({ events, known }: ArmOutcome, z = Z_95): Interval {
  check({ events, known });
  const p = events / known;
  const z2 = z * z;
  const centre = (events + z2 / 2) / (known + z2);
  const half = (z * Math.sqrt((events * (known - events)) / known + z2 / 4)) / (known + z2);
  return { estimate: p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/** Intervention minus control, with Newcombe's hybrid score interval. */
export function riskDifference(intervention: ArmOutcome, control: ArmOutcome, z = Z_95): Interval {
  const a = wilson(intervention, z);
  const b = wilson(control, z);
  const d = a.estimate - b.estimate;
  return {
    estimate: d,
    lower: d - Math.sqrt((a.estimate - a.lower) ** 2 + (b.upper - b.estimate) ** 2),
    upper: d + Math.sqrt((a.upper - a.estimate) ** 2 + (b.estimate - b.lower) ** 2),
  };
}

/** The odds of the outcome with the intervention over the odds without, with Woolf's interval. */
export function oddsRatio(intervention: ArmOutcome, control: ArmOutcome, z = Z_95): Interval {
  check(intervention);
  check(control);
  let cells = [
    intervention.events,
    intervention.known - intervention.events,
    control.events,
    control.known - control.events,
  ];
  if (cells.some((c) => c === 0)) cells = cells.map((c) => c + 0.5);
  const [a, b, c, d] = cells as [number, number, number, number];
  const log = Math.log((a * d) / (b * c));
  const se = Math.sqrt(1 / a + 1 / b + 1 / c + 1 / d);
  return { estimate: Math.exp(log), lower: Math.exp(log - z * se), upper: Math.exp(log + z * se) };
}

export function compareArms(intervention: ArmOutcome, control: ArmOutcome, z = Z_95): ArmComparison {
  return {
    intervention: wilson(intervention, z),
    control: wilson(control, z),
    riskDifference: riskDifference(intervention, control, z),
    oddsRatio: oddsRatio(intervention, control, z),
  };
}
