/**
 * The trial's enrolment figures so far, each with what it is out of: the top of the CONSORT flow
 * diagram (assessed for eligibility, excluded with the reasons, declined, not approached,
 * consented, withdrawn). Pure: the repository hands over screenings grouped by what happened.
 */
import type { EligibilityChecklist } from './eligibility-checklist.ts';
import { reasonText } from './eligibility.ts';
import { WITHDRAWAL_SCOPES, type WithdrawalScope } from './withdrawal-scopes.ts';

export type Approach = 'consented' | 'declined' | 'not_approached';

/** Screenings alike in eligibility, reasons, approach and widest withdrawal, counted. */
export interface ScreeningGroup {
  eligible: boolean;
  reasons: readonly string[];
  approach: Approach | null;
  widestWithdrawal: WithdrawalScope | null;
  people: number;
}

export interface TrialCounts {
  assessed: number;
  notEligible: number;
  /** People not eligible for each reason; one person may have several, so these may add up to more. */
  notEligibleByReason: { key: string; text: string; people: number }[];
  eligible: number;
  declined: number;
  notApproached: number;
  /** Eligible, and what happened when they were approached not yet recorded. */
  awaitingDecision: number;
  consented: number;
  withdrawn: number;
  /** Each person counted once, by the widest of their withdrawals. */
  withdrawnByScope: { scope: WithdrawalScope; people: number }[];
}

export function trialCounts(checklist: EligibilityChecklist, groups: readonly ScreeningGroup[]): TrialCounts {
  const sum = (keep: (g: ScreeningGroup) => boolean) =>
    groups.filter(keep).reduce((total, g) => total + g.people, 0);
  const byReason = new Map<string, number>(checklist.criteria.map((c) => [c.key, 0]));
  for (const group of groups) {
    if (group.eligible) continue;
    for (const key of group.reasons) byReason.set(key, (byReason.get(key) ?? 0) + group.people);
  }
  return {
    assessed: sum(() => true),
    notEligible: sum((g) => !g.eligible),
    notEligibleByReason: [...byReason]
      .filter(([, people]) => people > 0)
      .map(([key, people]) => ({ key, text: reasonText(checklist, key), people })),
    eligible: sum((g) => g.eligible),
    declined: sum((g) => g.approach === 'declined'),
    notApproached: sum((g) => g.approach === 'not_approached'),
    awaitingDecision: sum((g) => g.eligible && g.approach === null),
    consented: sum((g) => g.approach === 'consented'),
    withdrawn: sum((g) => g.approach === 'consented' && g.widestWithdrawal !== null),
    withdrawnByScope: WITHDRAWAL_SCOPES.map((scope) => ({
      scope,
      people: sum((g) => g.approach === 'consented' && g.widestWithdrawal === scope),
    })),
  };
}
