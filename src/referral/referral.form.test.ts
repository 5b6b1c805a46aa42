import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { parseReferralForm } from './referral.form.ts';

const TODAY = '2026-11-26';

function form(dateOfBirth: [string, string, string]): Record<string, unknown> {
  return {
    submissionToken: randomUUID(),
    givenName: 'Robin',
    familyName: 'Referral',
    'dateOfBirth[day]': dateOfBirth[0],
    'dateOfBirth[month]': dateOfBirth[1],
    'dateOfBirth[year]': dateOfBirth[2],
    mobile: '07700 900 982',
    contactMethods: ['sms'],
    mayLeaveMessages: 'no',
    crisisTeamId: randomUUID(),
    'dischargedOn[day]': '24',
    'dischargedOn[month]': '11',
    'dischargedOn[year]': '2026',
    dischargeDestination: 'gp',
  };
}

describe('the referral form', () => {
  it('takes the youngest age it accepts from the setting, birthday included', () => {
    const eighteenToday = form(['26', '11', '2008']);
    const eighteenTomorrow = form(['27', '11', '2008']);
    expect(parseReferralForm(eighteenToday, TODAY, 18).ok).toBe(true);
    expect(parseReferralForm(eighteenTomorrow, TODAY, 18)).toEqual({
      ok: false,
      errors: { dateOfBirth: 'They must be 18 or older to be referred' },
    });
    expect(parseReferralForm(eighteenTomorrow, TODAY, 17).ok).toBe(true);
    expect(parseReferralForm(form(['27', '11', '2009']), TODAY, 17)).toEqual({
      ok: false,
      errors: { dateOfBirth: 'They must be 17 or older to be referred' },
    });
  });

  it('keeps GP practice and care coordinator emails lower-case and blank ones empty', () => {
    const parsed = parseReferralForm(
      { ...form(['1', '1', '1990']), gpPracticeName: 'Beeston Village Surgery', gpPracticeEmail: 'Surgery@NHS.net' },
      TODAY,
      18,
    );
    expect(parsed.ok && parsed.value).toMatchObject({
      gpPracticeName: 'Beeston Village Surgery',
      gpPracticeEmail: 'surgery@nhs.net',
      careCoordinatorName: null,
      careCoordinatorEmail: null,
    });
  });
});
