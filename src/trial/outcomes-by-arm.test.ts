import { describe, expect, it } from 'vitest';
import { outcomesByArm, type OutcomeData } from './outcomes-by-arm.ts';

const COUNTING = new Set(['inpatient_admission']);
const at = (iso: string) => new Date(`${iso}T12:00:00Z`);

function data(): OutcomeData {
  return {
    randomisations: [
      { id: 'i1', arm: 'intervention', randomisedAt: at('2025-01-10') },
      { id: 'i2', arm: 'intervention', randomisedAt: at('2025-01-11') },
      { id: 'i3', arm: 'intervention', randomisedAt: at('2025-01-12') },
      { id: 'c1', arm: 'control', randomisedAt: at('2025-01-10') },
      { id: 'c2', arm: 'control', randomisedAt: at('2025-01-11') },
      { id: 'c3', arm: 'control', randomisedAt: at('2025-06-01') },
    ],
    episodes: [
      { randomisationId: 'i1', kind: 'inpatient_admission', startedOn: '2025-03-01', recordedAt: at('2025-03-05') },
      { randomisationId: 'c1', kind: 'inpatient_admission', startedOn: '2025-02-01', recordedAt: at('2025-02-03') },
      { randomisationId: 'c2', kind: 'inpatient_admission', startedOn: '2025-05-01', recordedAt: at('2026-02-01') },
    ],
    withdrawals: [
      { randomisationId: 'i3', scope: 'data', withdrawnOn: '2025-02-01', recordedAt: at('2025-02-01') },
    ],
  };
}

describe('outcomes by arm', () => {
  it('counts each arm’s randomised, known, readmitted and completeness, and compares the arms', () => {
    const result = outcomesByArm(data(), at('2026-05-01'), COUNTING);
    expect(result.asOf).toBe('2026-05-01');
    expect(result.arms.intervention).toEqual({
      randomised: 3,
      known: 2,
      readmitted: 1,
      notYetKnown: 0,
      missing: 0,
      excluded: 1,
      medianDaysToReadmission: 50,
    });
    expect(result.arms.control).toMatchObject({ randomised: 3, known: 2, readmitted: 2, notYetKnown: 1 });
    expect(result.comparison?.riskDifference.estimate).toBeCloseTo(0.5 - 1);
  });

  it('uses only what was recorded by the moment asked about (a DMC report stays as it was)', () => {
    const result = outcomesByArm(data(), at('2026-01-20'), COUNTING);
    // c2's admission was recorded on 1 February 2026: not yet known on 20 January.
    expect(result.arms.control).toMatchObject({ known: 2, readmitted: 1 });
  });

  it('has no comparison until both arms have someone whose outcome is known', () => {
    const result = outcomesByArm(data(), at('2025-06-01'), COUNTING);
    expect(result.arms.intervention.known).toBe(1);
    expect(result.arms.control.known).toBe(1);
    expect(outcomesByArm(data(), at('2025-02-15'), COUNTING).comparison).toBeNull();
  });
});
