import { describe, expect, it } from 'vitest';
import { loadEligibilityChecklist } from './eligibility-checklist.ts';
import { trialCounts, type ScreeningGroup } from './trial-counts.ts';

const checklist = loadEligibilityChecklist();

const group = (over: Partial<ScreeningGroup>): ScreeningGroup => ({
  eligible: true,
  reasons: [],
  approach: null,
  widestWithdrawal: null,
  people: 1,
  ...over,
});

describe('the trial counts', () => {
  it('counts nothing before anyone is screened', () => {
    const counts = trialCounts(checklist, []);
    expect(counts.assessed).toBe(0);
    expect(counts.notEligibleByReason).toEqual([]);
    expect(counts.withdrawnByScope.map((w) => w.people)).toEqual([0, 0, 0]);
  });

  it('follows everyone from screening to consent and withdrawal, each figure out of the one before', () => {
    const counts = trialCounts(checklist, [
      group({ eligible: false, reasons: ['aged_18_or_over'], people: 2 }),
      group({ eligible: false, reasons: ['aged_18_or_over', 'declined_contact'] }),
      group({ eligible: false, reasons: ['currently_inpatient'] }),
      group({ approach: 'declined', people: 2 }),
      group({ approach: 'not_approached' }),
      group({ people: 1 }),
      group({ approach: 'consented', people: 9 }),
      group({ approach: 'consented', widestWithdrawal: 'intervention' }),
      group({ approach: 'consented', widestWithdrawal: 'data' }),
    ]);
    expect(counts).toMatchObject({
      assessed: 19,
      notEligible: 4,
      eligible: 15,
      declined: 2,
      notApproached: 1,
      awaitingDecision: 1,
      consented: 11,
      withdrawn: 2,
    });
    // One person may have two reasons: the reasons add up to more than those not eligible.
    expect(counts.notEligibleByReason).toEqual([
      { key: 'aged_18_or_over', text: 'Under 18', people: 3 },
      { key: 'currently_inpatient', text: 'Currently an inpatient', people: 1 },
      { key: 'declined_contact', text: 'Does not want contact from the service', people: 1 },
    ]);
    expect(counts.withdrawnByScope).toEqual([
      { scope: 'intervention', people: 1 },
      { scope: 'follow_up', people: 0 },
      { scope: 'data', people: 1 },
    ]);
  });

  it('names a reason from an earlier checklist by its key', () => {
    const counts = trialCounts(checklist, [group({ eligible: false, reasons: ['retired_criterion'] })]);
    expect(counts.notEligibleByReason).toEqual([
      { key: 'retired_criterion', text: 'retired_criterion', people: 1 },
    ]);
  });
});
