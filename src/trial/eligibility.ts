/**
 * Whether a person screened is eligible, and why not: every inclusion answered yes and every
 * exclusion answered no. The reasons are the keys of the criteria not met, in the checklist's
 * order, so the screening log and the CONSORT counts name the same ones.
 */
import type { EligibilityChecklist } from './eligibility-checklist.ts';

export type Answer = 'yes' | 'no';

export interface Eligibility {
  eligible: boolean;
  /** Keys of the criteria not met; empty exactly when eligible. */
  reasons: string[];
}

export function assessEligibility(
  checklist: EligibilityChecklist,
  answers: Readonly<Record<string, Answer>>,
): Eligibility {
  const reasons = checklist.criteria
    .filter((criterion) => {
      const answer = answers[criterion.key];
      if (answer === undefined) throw new Error(`criterion "${criterion.key}" was not answered`);
      return criterion.kind === 'inclusion' ? answer === 'no' : answer === 'yes';
    })
    .map((criterion) => criterion.key);
  return { eligible: reasons.length === 0, reasons };
}

/** A reason's words; a key from an earlier checklist that no longer names one is shown as it is. */
export function reasonText(checklist: EligibilityChecklist, key: string): string {
  return checklist.criteria.find((c) => c.key === key)?.notMet ?? key;
}
