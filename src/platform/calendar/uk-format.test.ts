import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatMonth, formatTime, formatWeekdayDate } from './uk-format.ts';

const at = (iso: string) => new Date(iso);
// Newer ICU puts a narrow no-break space before am/pm.
const plain = (text: string) => text.replace(/\s/g, ' ');

describe('UK formats', () => {
  it('writes a date, from a calendar date or an instant in UK time', () => {
    expect(formatDate('2026-11-26')).toBe('26 November 2026');
    expect(formatDate(at('2026-07-01T23:30:00Z'))).toBe('2 July 2026');
    expect(formatDate(at('2026-12-01T23:30:00Z'))).toBe('1 December 2026');
    expect(formatDate(null)).toBe('');
    expect(formatDate(undefined)).toBe('');
  });

  it('writes a date and time in UK time', () => {
    expect(plain(formatDateTime(at('2026-11-29T10:00:00Z')))).toBe('29 November 2026, 10:00 am');
    expect(plain(formatDateTime(at('2026-07-01T13:30:00Z')))).toBe('1 July 2026, 2:30 pm');
    expect(formatDateTime(null)).toBe('');
  });

  it('writes the hour after midday and after midnight as 12, not 0', () => {
    expect(plain(formatDateTime(at('2026-12-03T12:30:00Z')))).toBe('3 December 2026, 12:30 pm');
    expect(plain(formatDateTime(at('2026-12-03T00:05:00Z')))).toBe('3 December 2026, 12:05 am');
  });

  it('writes the weekday and date', () => {
    expect(formatWeekdayDate(at('2026-12-03T14:30:00Z'))).toBe('Thursday 3 December');
    expect(formatWeekdayDate(at('2026-07-01T23:30:00Z'))).toBe('Thursday 2 July');
  });

  it('writes a time as GOV.UK does', () => {
    expect(formatTime(at('2026-12-03T12:00:00Z'))).toBe('midday');
    expect(formatTime(at('2026-12-03T00:00:00Z'))).toBe('midnight');
    expect(formatTime(at('2027-06-03T08:05:00Z'))).toBe('9:05am');
    expect(formatTime(at('2026-12-03T10:00:00Z'))).toBe('10am');
    expect(formatTime(at('2026-12-03T23:45:00Z'))).toBe('11:45pm');
    expect(formatTime(at('2026-12-03T12:30:00Z'))).toBe('12:30pm');
  });

  it('writes times either side of the clock changes in the time then in force', () => {
    expect(formatTime(at('2026-03-29T00:30:00Z'))).toBe('12:30am');
    expect(formatTime(at('2026-03-29T01:30:00Z'))).toBe('2:30am');
    expect(formatTime(at('2026-10-25T00:30:00Z'))).toBe('1:30am');
    expect(formatTime(at('2026-10-25T01:30:00Z'))).toBe('1:30am');
    expect(plain(formatDateTime(at('2027-03-28T01:00:00Z')))).toBe('28 March 2027, 2:00 am');
    expect(plain(formatDateTime(at('2027-10-31T00:59:00Z')))).toBe('31 October 2027, 1:59 am');
    expect(plain(formatDateTime(at('2027-10-31T01:00:00Z')))).toBe('31 October 2027, 1:00 am');
  });

  it('writes a month', () => {
    expect(formatMonth('2026-11')).toBe('November 2026');
    expect(formatMonth('2027-01')).toBe('January 2027');
  });
});
