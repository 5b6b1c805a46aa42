/**
 * The crisis team form: what a coordinator sees for each mistake, and which phone numbers count
 * as UK numbers.
 */
import { describe, expect, it } from 'vitest';
import { isUkPhoneNumber, parseTeamForm } from './team-admin.form.ts';

describe('team form', () => {
  it('accepts a name and a UK phone number, tidying spaces', () => {
    expect(parseTeamForm({ name: ' North   team ', phone: '0113  496 0000' })).toEqual({
      ok: true,
      value: { name: 'North team', phone: '0113 496 0000', dutyEmail: null },
    });
  });

  it('asks for each missing answer', () => {
    expect(parseTeamForm({})).toMatchObject({
      ok: false,
      errors: { name: 'Enter the crisis team name', phone: 'Enter the crisis team phone number' },
    });
  });

  it.each([
    ['01632 960 001', true],
    ['+44 (0)1632 960001', false],
    ['+44 1632 960001', true],
    ['07700-900-982', true],
    ['999', false],
    ['call the office', false],
  ])('treats %s as a UK phone number: %s', (phone, valid) => {
    expect(isUkPhoneNumber(phone)).toBe(valid);
  });
});
