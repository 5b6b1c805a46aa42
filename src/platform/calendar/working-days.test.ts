import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from './uk-time.ts';
import { addWorkingDays, bankHolidays, isWorkingDay, workingDaysBetween } from './working-days.ts';

describe('working days in England and Wales', () => {
  // As published on GOV.UK (https://www.gov.uk/bank-holidays), written out by hand.
  it.each([
    [
      2022,
      [
        '2022-01-03',
        '2022-04-15',
        '2022-04-18',
        '2022-05-02',
        '2022-06-02',
        '2022-06-03',
        '2022-08-29',
        '2022-09-19',
        '2022-12-26',
        '2022-12-27',
      ],
    ],
    [
      2025,
      [
        '2025-01-01',
        '2025-04-18',
        '2025-04-21',
        '2025-05-05',
        '2025-05-26',
        '2025-08-25',
        '2025-12-25',
        '2025-12-26',
      ],
    ],
    [
      2026,
      [
        '2026-01-01',
        '2026-04-03',
        '2026-04-06',
        '2026-05-04',
        '2026-05-25',
        '2026-08-31',
        '2026-12-25',
        '2026-12-28',
      ],
    ],
    [
      2027,
      [
        '2027-01-01',
        '2027-03-26',
        '2027-03-29',
        '2027-05-03',
        '2027-05-31',
        '2027-08-30',
        '2027-12-27',
        '2027-12-28',
      ],
    ],
  ])('knows the bank holidays of %i', (year, expected) => {
    expect([...bankHolidays(year)].sort()).toEqual(expected);
  });

  it('skips weekends and bank holidays', () => {
    expect(isWorkingDay('2026-11-26')).toBe(true); // a Thursday
    expect(isWorkingDay('2026-11-28')).toBe(false); // Saturday
    expect(isWorkingDay('2026-12-28')).toBe(false); // Boxing Day substitute
  });

  it('counts working days across Christmas', () => {
    // Thursday 24 December 2026 to Thursday 31 December: 29, 30, 31.
    expect(workingDaysBetween('2026-12-24', '2026-12-31')).toBe(3);
    expect(workingDaysBetween('2026-11-26', '2026-11-26')).toBe(0);
    expect(addWorkingDays('2026-12-23', 5)).toBe('2027-01-04'); // 24, 29, 30, 31 December, 4 January
    expect(addWorkingDays('2026-11-26', 5)).toBe('2026-12-03');
  });

  it('counts a wait of years as if counting day by day, whatever the dates', () => {
    const countedDayByDay = (from: string, to: string): number => {
      let count = 0;
      for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(day)) count += 1;
      return count;
    };
    const date = fc.integer({ min: 0, max: 365 * 12 }).map((offset) => addDays('2019-01-01', offset));
    fc.assert(
      fc.property(date, fc.integer({ min: -10, max: 1200 }), (from, span) => {
        const to = addDays(from, span);
        expect(workingDaysBetween(from, to)).toBe(countedDayByDay(from, to));
      }),
      { numRuns: 300 },
    );
    // 2020 to 2024: 1,827 days, 261 whole weeks, so 1,305 weekdays; less 43 bank holidays (eight
    // a year, and 2022's jubilee and state funeral and 2023's coronation added).
    expect(workingDaysBetween('2019-12-31', '2024-12-31')).toBe(1262);
  });
});
