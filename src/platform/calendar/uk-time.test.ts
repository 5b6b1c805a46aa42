import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays,
  addMonths,
  daysBetween,
  fromUkWallClock,
  startOfUkDay,
  ukTimeOfDay,
  ukToday,
  ukWallClock,
} from './uk-time.ts';

const at = (iso: string) => new Date(iso);
const instant = (isoDate: string, hour: number, minute: number) =>
  fromUkWallClock(isoDate, hour, minute).toISOString();

// The clocks change at 01:00 UTC on the last Sunday of March and of October.
const CHANGES = [
  { year: 2026, spring: '2026-03-29', autumn: '2026-10-25' },
  { year: 2027, spring: '2027-03-28', autumn: '2027-10-31' },
];

describe('UK wall clock', () => {
  it('reads GMT in winter and BST in summer', () => {
    expect(ukWallClock(at('2026-12-03T14:30:00Z'))).toEqual({
      date: '2026-12-03',
      hour: 14,
      minute: 30,
      minutes: 870,
    });
    expect(ukWallClock(at('2026-07-01T13:30:00Z'))).toEqual({
      date: '2026-07-01',
      hour: 14,
      minute: 30,
      minutes: 870,
    });
    expect(ukTimeOfDay(at('2026-07-01T13:30:00Z'))).toBe('14:30');
    expect(ukTimeOfDay(at('2026-12-03T00:05:00Z'))).toBe('00:05');
  });

  it('gives the UK date, which in summer starts an hour before the UTC one', () => {
    expect(ukToday(at('2026-07-01T23:30:00Z'))).toBe('2026-07-02');
    expect(ukToday(at('2026-12-01T23:30:00Z'))).toBe('2026-12-01');
    expect(ukToday(at('2026-12-31T23:59:59Z'))).toBe('2026-12-31');
    expect(ukToday(at('2027-06-30T23:00:00Z'))).toBe('2027-07-01');
  });

  describe.each(CHANGES)('the clock changes of $year', ({ spring, autumn }) => {
    it('goes forward at 01:00 UTC on the last Sunday of March', () => {
      expect(ukTimeOfDay(at(`${spring}T00:59:00Z`))).toBe('00:59');
      expect(ukTimeOfDay(at(`${spring}T01:00:00Z`))).toBe('02:00');
    });

    it('goes back at 01:00 UTC on the last Sunday of October', () => {
      expect(ukTimeOfDay(at(`${autumn}T00:59:00Z`))).toBe('01:59');
      expect(ukTimeOfDay(at(`${autumn}T01:00:00Z`))).toBe('01:00');
    });

    it('reads a time skipped in March on the clock before the change: an hour later on the wall', () => {
      expect(instant(spring, 0, 59)).toBe(`${spring}T00:59:00.000Z`);
      expect(instant(spring, 1, 0)).toBe(`${spring}T01:00:00.000Z`);
      expect(instant(spring, 1, 30)).toBe(`${spring}T01:30:00.000Z`);
      expect(ukTimeOfDay(fromUkWallClock(spring, 1, 30))).toBe('02:30');
      expect(instant(spring, 2, 0)).toBe(`${spring}T01:00:00.000Z`);
      expect(instant(spring, 2, 30)).toBe(`${spring}T01:30:00.000Z`);
      expect(instant(spring, 10, 0)).toBe(`${spring}T09:00:00.000Z`);
    });

    it('takes the earlier (BST) one of a time that happens twice in October', () => {
      expect(instant(autumn, 0, 30)).toBe(`${addDays(autumn, -1)}T23:30:00.000Z`);
      expect(instant(autumn, 1, 0)).toBe(`${autumn}T00:00:00.000Z`);
      expect(instant(autumn, 1, 30)).toBe(`${autumn}T00:30:00.000Z`);
      expect(instant(autumn, 1, 59)).toBe(`${autumn}T00:59:00.000Z`);
      expect(instant(autumn, 2, 0)).toBe(`${autumn}T02:00:00.000Z`);
      expect(instant(autumn, 10, 0)).toBe(`${autumn}T10:00:00.000Z`);
    });

    it('starts the UK day at midnight in the offset of that day', () => {
      expect(startOfUkDay(spring).toISOString()).toBe(`${spring}T00:00:00.000Z`);
      expect(startOfUkDay(addDays(spring, 1)).toISOString()).toBe(`${spring}T23:00:00.000Z`);
      expect(startOfUkDay(autumn).toISOString()).toBe(`${addDays(autumn, -1)}T23:00:00.000Z`);
      expect(startOfUkDay(addDays(autumn, 1)).toISOString()).toBe(`${addDays(autumn, 1)}T00:00:00.000Z`);
    });

    it('counts the 23- and 25-hour days as one calendar day each', () => {
      expect(addDays(spring, 1)).toBe(addDays(addDays(spring, -1), 2));
      expect(daysBetween(addDays(spring, -1), addDays(spring, 1))).toBe(2);
      expect(daysBetween(addDays(autumn, -1), addDays(autumn, 1))).toBe(2);
      expect(ukToday(at(`${spring}T23:30:00Z`))).toBe(addDays(spring, 1));
      expect(ukToday(at(`${autumn}T23:30:00Z`))).toBe(autumn);
    });
  });

  it('gives back the same wall-clock time for every quarter hour of 2026 and 2027', () => {
    const springs = new Set(CHANGES.map((c) => c.spring));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 729 }),
        fc.integer({ min: 0, max: 23 }),
        fc.constantFrom(0, 15, 30, 45),
        (day, hour, minute) => {
          const date = addDays('2026-01-01', day);
          // The hour skipped when the clocks go forward does not exist in the UK.
          fc.pre(!(springs.has(date) && hour === 1));
          const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
          expect(ukTimeOfDay(fromUkWallClock(date, hour, minute))).toBe(time);
          expect(ukToday(fromUkWallClock(date, hour, minute))).toBe(date);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('calendar dates', () => {
  it('adds days across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-03-01', -1)).toBe('2027-02-28');
    expect(addDays('2026-11-26', 0)).toBe('2026-11-26');
  });

  it('counts whole days between dates, negative when backwards', () => {
    expect(daysBetween('2026-11-26', '2026-12-03')).toBe(7);
    expect(daysBetween('2026-12-03', '2026-11-26')).toBe(-7);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
  });

  it('adds months, clamping to the last day of a shorter month', () => {
    expect(addMonths('2026-11-26', 3)).toBe('2027-02-26');
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2027-11-30', 3)).toBe('2028-02-29');
    expect(addMonths('2027-01-31', -2)).toBe('2026-11-30');
  });
});

describe('the UK wall clock, read from the time zone database once an hour', () => {
  const london = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  const expected = (ms: number) => {
    const p = Object.fromEntries(london.formatToParts(ms).map((part) => [part.type, part.value]));
    return {
      date: `${p.year ?? ''}-${p.month ?? ''}-${p.day ?? ''}`,
      hour: Number(p.hour),
      minute: Number(p.minute),
    };
  };

  it('agrees with the time zone database at every minute either side of each clock change', () => {
    for (const { spring, autumn } of CHANGES) {
      for (const day of [spring, autumn]) {
        const change = Date.parse(`${day}T01:00:00Z`);
        for (let ms = change - 90 * 60_000; ms <= change + 90 * 60_000; ms += 60_000) {
          const { date, hour, minute } = ukWallClock(new Date(ms));
          expect({ date, hour, minute }).toEqual(expected(ms));
        }
      }
    }
  });

  it('agrees with the time zone database at any instant from 1990 to 2090', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }), (ms) => {
        const { date, hour, minute } = ukWallClock(new Date(ms));
        expect({ date, hour, minute }).toEqual(expected(ms));
      }),
      { numRuns: 2000 },
    );
  });
});
