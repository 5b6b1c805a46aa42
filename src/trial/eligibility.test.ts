import { describe, expect, it } from 'vitest';
import { loadEligibilityChecklist, parseEligibilityChecklist } from './eligibility-checklist.ts';
import { assessEligibility, reasonText, type Answer } from './eligibility.ts';

const checklist = loadEligibilityChecklist();

/** An eligible person's answers, with some changed. */
const answers = (differs: Record<string, Answer> = {}): Record<string, Answer> => ({
  ...Object.fromEntries(checklist.criteria.map((c) => [c.key, c.kind === 'inclusion' ? 'yes' : 'no'])),
  ...differs,
});

describe('eligibility', () => {
  it('finds someone eligible when every inclusion is yes and every exclusion is no', () => {
    expect(assessEligibility(checklist, answers())).toEqual({ eligible: true, reasons: [] });
  });

  it('gives each criterion not met as a reason, in the order of the checklist', () => {
    const result = assessEligibility(
      checklist,
      answers({ declined_contact: 'yes', aged_18_or_over: 'no', currently_inpatient: 'yes' }),
    );
    expect(result.eligible).toBe(false);
    expect(result.reasons).toEqual(['aged_18_or_over', 'currently_inpatient', 'declined_contact']);
    expect(result.reasons.map((key) => reasonText(checklist, key))).toEqual([
      'Under 18',
      'Currently an inpatient',
      'Does not want contact from the service',
    ]);
  });

  it('counts no capacity, no discharge from a crisis team and already in the programme as reasons', () => {
    expect(assessEligibility(checklist, answers({ has_capacity: 'no' })).reasons).toEqual(['has_capacity']);
    expect(assessEligibility(checklist, answers({ discharged_from_crt: 'no' })).reasons).toEqual([
      'discharged_from_crt',
    ]);
    expect(assessEligibility(checklist, answers({ already_in_programme: 'yes' })).reasons).toEqual([
      'already_in_programme',
    ]);
  });

  it('refuses to decide with a question unanswered', () => {
    const { has_capacity: _left, ...rest } = answers();
    expect(() => assessEligibility(checklist, rest)).toThrow(/has_capacity/);
  });

  it('shows a reason from an earlier checklist by its key', () => {
    expect(reasonText(checklist, 'retired_criterion')).toBe('retired_criterion');
  });
});

describe('the checklist file', () => {
  const criterion = (key: string, kind: 'inclusion' | 'exclusion') => ({
    key,
    kind,
    question: `${key}?`,
    notMet: key,
  });
  const protocol = [
    criterion('aged_18_or_over', 'inclusion'),
    criterion('discharged_from_crt', 'inclusion'),
    criterion('has_capacity', 'inclusion'),
    criterion('already_in_programme', 'exclusion'),
  ];

  it('ships the protocol criteria and two exclusions of the deployment', () => {
    expect(checklist.criteria.map((c) => c.key)).toEqual([
      'aged_18_or_over',
      'discharged_from_crt',
      'has_capacity',
      'already_in_programme',
      'currently_inpatient',
      'declined_contact',
    ]);
  });

  it('takes exclusions a deployment adds', () => {
    const parsed = parseEligibilityChecklist({
      version: 2,
      criteria: [...protocol, criterion('lives_out_of_area', 'exclusion')],
    });
    expect(parsed.criteria).toHaveLength(5);
  });

  it('refuses a checklist missing a protocol criterion, turning one round, or naming one twice', () => {
    expect(() => parseEligibilityChecklist({ version: 1, criteria: protocol.slice(1) })).toThrow(
      /aged_18_or_over" is missing/,
    );
    expect(() =>
      parseEligibilityChecklist({
        version: 1,
        criteria: [...protocol.slice(0, 3), criterion('already_in_programme', 'inclusion')],
      }),
    ).toThrow(/must be an exclusion/);
    expect(() => parseEligibilityChecklist({ version: 1, criteria: [...protocol, protocol[0]] })).toThrow(
      /appears twice/,
    );
  });
});
