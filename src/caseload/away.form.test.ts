import { describe, expect, it } from 'vitest';
import { parseAwayForm } from './away.form.ts';

const TODAY = '2026-11-26';
const date = (name: string, iso: string) => {
  const [year, month, day] = iso.split('-');
  return { [`${name}[day]`]: day, [`${name}[month]`]: month, [`${name}[year]`]: year };
};

describe('marking a worker away', () => {
  it('reads a first day, an optional day back and the reason', () => {
    expect(parseAwayForm({ ...date('awayFrom', '2026-11-30'), reason: 'sickness' }, TODAY)).toEqual({
      ok: true,
      value: { awayFrom: '2026-11-30', awayUntil: null, reason: 'Sickness absence' },
    });
    expect(
      parseAwayForm(
        { ...date('awayFrom', '2026-11-26'), ...date('awayUntil', '2026-12-11'), reason: 'leave' },
        TODAY,
      ),
    ).toMatchObject({ ok: true, value: { awayUntil: '2026-12-11', reason: 'Annual leave' } });
  });

  it('says what is wrong with each field', () => {
    expect(parseAwayForm({}, TODAY)).toEqual({
      ok: false,
      errors: { awayFrom: 'Enter the first day they are away', reason: 'Select why they are away' },
    });
    expect(
      parseAwayForm(
        { ...date('awayFrom', '2026-11-25'), ...date('awayUntil', '2026-11-20'), reason: 'x' },
        TODAY,
      ),
    ).toEqual({
      ok: false,
      errors: {
        awayFrom: 'First day away must be today or in the future',
        awayUntil: 'Day they are back must be on or after the first day away',
        reason: 'Select why they are away',
      },
    });
    expect(parseAwayForm({ ...date('awayFrom', '2026-02-30'), reason: ['leave'] }, TODAY)).toMatchObject({
      ok: false,
      errors: { awayFrom: 'First day away must be a real date', reason: 'Select why they are away' },
    });
  });
});
