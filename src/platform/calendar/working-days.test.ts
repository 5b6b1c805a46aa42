import { describe, expect, it } from 'vitest';
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
});
