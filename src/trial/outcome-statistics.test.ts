import { describe, expect, it } from 'vitest';
import { compareArms, oddsRatio, riskDifference, wilson } from './outcome-statistics.ts';

describe('comparing the arms on a yes/no outcome', () => {
  it('gives the risk difference with the interval Newcombe (1998) published for his method 10', () => {
    // Newcombe, Statistics in Medicine 17:873–890, table II: 56/70 − 48/80 and 9/10 − 3/10.
    const a = riskDifference({ events: 56, known: 70 }, { events: 48, known: 80 });
    expect(a.estimate).toBeCloseTo(0.2, 10);
    expect(a.lower).toBeCloseTo(0.0524, 4);
    expect(a.upper).toBeCloseTo(0.3339, 4);
    const d = riskDifference({ events: 9, known: 10 }, { events: 3, known: 10 });
    expect(d.lower).toBeCloseTo(0.1705, 4);
    expect(d.upper).toBeCloseTo(0.809, 4);
  });

  it('gives the odds ratio with Woolf’s interval, and 0.5 added to each cell when one is empty', () => {
    const or = oddsRatio({ events: 56, known: 70 }, { events: 48, known: 80 });
    expect(or.estimate).toBeCloseTo(2.6667, 4);
    expect(or.lower).toBeCloseTo(1.2762, 4);
    expect(or.upper).toBeCloseTo(5.572, 3);
    // No events with the intervention: (0.5 × 10.5) / (10.5 × 5.5), not 0 and not infinite.
    const none = oddsRatio({ events: 0, known: 10 }, { events: 5, known: 10 });
    expect(none.estimate).toBeCloseTo((0.5 * 5.5) / (10.5 * 5.5), 6);
    expect(Number.isFinite(none.upper)).toBe(true);
  });

  it('keeps each arm’s interval inside 0 to 1, even with no events', () => {
    const zero = wilson({ events: 0, known: 20 });
    expect(zero).toMatchObject({ estimate: 0, lower: 0 });
    expect(zero.upper).toBeCloseTo(0.1611, 4);
    const all = wilson({ events: 20, known: 20 });
    expect(all.upper).toBe(1);
  });

  it('compares arms like the source trial’s (29% against 38% readmitted)', () => {
    const result = compareArms({ events: 64, known: 221 }, { events: 84, known: 221 });
    expect(result.intervention.estimate).toBeCloseTo(0.29, 2);
    expect(result.control.estimate).toBeCloseTo(0.38, 2);
    expect(result.riskDifference.estimate).toBeLessThan(0);
    expect(result.oddsRatio.estimate).toBeLessThan(1);
    expect(result.riskDifference.lower).toBeLessThan(result.riskDifference.estimate);
    expect(result.riskDifference.upper).toBeGreaterThan(result.riskDifference.estimate);
  });

  it('refuses counts that cannot be', () => {
    expect(() => wilson({ events: 3, known: 2 })).toThrow();
    expect(() => wilson({ events: 0, known: 0 })).toThrow();
    expect(() => wilson({ events: 1.5, known: 4 })).toThrow();
  });
});
