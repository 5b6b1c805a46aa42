import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadEligibilityChecklist } from './eligibility-checklist.ts';
import {
  parseApproachForm,
  parseConsentForm,
  parseScreeningForm,
  parseWithdrawalForm,
  REASON_MAX,
} from './trial.form.ts';

const checklist = loadEligibilityChecklist();
const TODAY = '2026-11-26';
const TEAM = randomUUID();
const date = (name: string, iso: string) => {
  const [year, month, day] = iso.split('-');
  return { [`${name}[day]`]: day, [`${name}[month]`]: month, [`${name}[year]`]: year };
};

const screening = (over: Record<string, unknown> = {}) => ({
  submissionToken: randomUUID(),
  crisisTeamId: TEAM,
  ...date('screenedOn', '2026-11-20'),
  initials: 'j.s ',
  yearOfBirth: '1985',
  ...Object.fromEntries(checklist.criteria.map((c) => [c.key, c.kind === 'inclusion' ? 'yes' : 'no'])),
  ...over,
});

describe('the screening form', () => {
  it('reads initials in capitals without dots or spaces, the year and every answer', () => {
    const parsed = parseScreeningForm(checklist, screening(), { today: TODAY });
    expect(parsed.ok && parsed.value).toMatchObject({
      crisisTeamId: TEAM,
      screenedOn: '2026-11-20',
      initials: 'JS',
      yearOfBirth: 1985,
      answers: { aged_18_or_over: 'yes', currently_inpatient: 'no' },
    });
  });

  it('asks for every answer, the team, the initials and the year, each beside its box', () => {
    const parsed = parseScreeningForm(
      checklist,
      { submissionToken: randomUUID(), ...date('screenedOn', '2026-11-20') },
      { today: TODAY },
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.keys(parsed.errors).sort()).toEqual(
      ['crisisTeamId', 'initials', 'yearOfBirth', ...checklist.criteria.map((c) => c.key)].sort(),
    );
    expect(parsed.errors.has_capacity).toBe(
      'Select yes or no for “Do they have capacity to consent to take part?”',
    );
  });

  it('refuses a future date, initials that are not 1 to 3 letters, and a year that is not a year', () => {
    const parsed = parseScreeningForm(
      checklist,
      screening({ ...date('screenedOn', '2026-11-27'), initials: 'ABCD', yearOfBirth: '85' }),
      { today: TODAY },
    );
    expect(parsed.ok ? {} : parsed.errors).toEqual({
      screenedOn: 'Date screened must be today or in the past',
      initials: 'Initials must be 1 to 3 letters, such as JS or JAS',
      yearOfBirth: 'Year of birth must be 4 numbers, such as 1985',
    });
  });

  it('refuses "aged 18 or over" for someone whose year of birth says they cannot be', () => {
    const parsed = parseScreeningForm(checklist, screening({ yearOfBirth: '2009' }), { today: TODAY });
    expect(parsed.ok ? {} : parsed.errors).toEqual({
      aged_18_or_over: 'Their year of birth says they are under 18: check the year or the answer',
    });
    // Born in 2008 they may have turned 18 this year: the year alone cannot say, so it is taken.
    expect(parseScreeningForm(checklist, screening({ yearOfBirth: '2008' }), { today: TODAY }).ok).toBe(true);
  });

  it('answers a form without its token that it has expired', () => {
    const parsed = parseScreeningForm(checklist, screening({ submissionToken: 'x' }), { today: TODAY });
    expect(parsed.ok ? {} : parsed.errors).toEqual({ submissionToken: 'This form has expired. Start again' });
  });
});

describe('the approach form', () => {
  it('takes a decline with or without a reason', () => {
    expect(parseApproachForm({ outcome: 'declined', reason: ' ' })).toEqual({
      ok: true,
      value: { outcome: 'declined', reason: null },
    });
    expect(parseApproachForm({ outcome: 'declined', reason: 'Too busy' })).toEqual({
      ok: true,
      value: { outcome: 'declined', reason: 'Too busy' },
    });
  });

  it('asks why someone was not approached, and what happened at all', () => {
    expect(parseApproachForm({ outcome: 'not_approached' })).toEqual({
      ok: false,
      errors: { reason: 'Enter why they were not approached' },
    });
    expect(parseApproachForm({ outcome: 'consented', reason: 'x'.repeat(REASON_MAX + 1) })).toEqual({
      ok: false,
      errors: {
        outcome: 'Select whether they declined or were not approached',
        reason: `The reason must be ${String(REASON_MAX)} characters or fewer`,
      },
    });
  });
});

describe('the consent form', () => {
  const context = { versions: ['2.0'], today: TODAY, screenedOn: '2026-11-20' };
  const consent = (over: Record<string, unknown> = {}) => ({
    submissionToken: randomUUID(),
    documentVersion: '2.0',
    ...date('takenOn', '2026-11-21'),
    capacityConfirmed: 'yes',
    ...over,
  });

  it('records the version and date when capacity is confirmed', () => {
    const parsed = parseConsentForm(consent(), context);
    expect(parsed.ok && parsed.value).toMatchObject({ documentVersion: '2.0', takenOn: '2026-11-21' });
  });

  it('refuses consent without capacity confirmed, with a version not in use, or before screening', () => {
    const parsed = parseConsentForm(
      consent({ capacityConfirmed: undefined, documentVersion: '1.1', ...date('takenOn', '2026-11-19') }),
      context,
    );
    expect(parsed.ok ? {} : parsed.errors).toEqual({
      documentVersion: 'Select the version of the consent form they signed',
      takenOn: 'Date consent was taken must be on or after the date they were screened',
      capacityConfirmed: 'Confirm they had capacity to consent, or do not record consent',
    });
  });
});

describe('the withdrawal form', () => {
  const context = { scopes: ['follow_up', 'data'] as const, today: TODAY, consentedOn: '2026-11-21' };

  it('takes a wider scope, the date and an optional reason', () => {
    const parsed = parseWithdrawalForm(
      { submissionToken: randomUUID(), scope: 'data', ...date('withdrawnOn', '2026-11-25') },
      context,
    );
    expect(parsed.ok && parsed.value).toMatchObject({
      scope: 'data',
      withdrawnOn: '2026-11-25',
      reason: null,
    });
  });

  it('refuses a scope already withdrawn from, and a date before consent or in the future', () => {
    const early = parseWithdrawalForm(
      { submissionToken: randomUUID(), scope: 'intervention', ...date('withdrawnOn', '2026-11-20') },
      context,
    );
    expect(early.ok ? {} : early.errors).toEqual({
      scope: 'Select what they are withdrawing from',
      withdrawnOn: 'Date they withdrew must be on or after the date they consented',
    });
    const later = parseWithdrawalForm(
      { submissionToken: randomUUID(), scope: 'data', ...date('withdrawnOn', '2026-11-27') },
      context,
    );
    expect(later.ok ? {} : later.errors).toEqual({
      withdrawnOn: 'Date they withdrew must be today or in the past',
    });
  });
});
