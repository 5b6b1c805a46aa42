/**
 * Working days in England and Wales: Monday to Friday, less bank holidays. Targets such as
 * "reallocate within 5 working days" count these. Dates are UK calendar dates (YYYY-MM-DD).
 *
 * Bank holidays follow the standing rules (New Year's Day, Good Friday, Easter Monday, the
 * early May and spring bank holidays, the summer bank holiday, Christmas Day and Boxing Day,
 * with substitute days when they fall at a weekend), plus one-off changes by proclamation,
 * listed in EXCEPTIONS as GOV.UK publishes them (https://www.gov.uk/bank-holidays).
 */
import { addDays, daysBetween } from './uk-time.ts';

/** One-off changes: days added, and rule days moved away (the rule day is then not a holiday). */
const EXCEPTIONS: { added: readonly string[]; removed: readonly string[] } = {
  added: ['2020-05-08', '2022-06-02', '2022-06-03', '2022-09-19', '2023-05-08'],
  // VE Day 2020 replaced the early May bank holiday; the 2022 jubilee moved the spring one.
  removed: ['2020-05-04', '2022-05-30'],
};

function iso(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month - 1, day)).toISOString().slice(0, 10);
}

function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Easter Sunday (Gregorian), by the anonymous Gregorian algorithm. */
function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

function firstMonday(year: number, month: number): string {
  const first = iso(year, month, 1);
  return addDays(first, (8 - weekday(first)) % 7);
}

function lastMonday(year: number, month: number): string {
  const last = iso(year, month + 1, 0);
  return addDays(last, -((weekday(last) + 6) % 7));
}

const cache = new Map<number, ReadonlySet<string>>();

/** The bank holidays of England and Wales in a year. */
export function bankHolidays(year: number): ReadonlySet<string> {
  const cached = cache.get(year);
  if (cached) return cached;
  const easter = easterSunday(year);
  const days = new Set<string>([
    addDays(easter, -2),
    addDays(easter, 1),
    firstMonday(year, 5),
    lastMonday(year, 5),
    lastMonday(year, 8),
  ]);
  // New Year's Day at a weekend moves to the Monday.
  const newYear = iso(year, 1, 1);
  days.add(
    weekday(newYear) === 6 ? addDays(newYear, 2) : weekday(newYear) === 0 ? addDays(newYear, 1) : newYear,
  );
  // Christmas and Boxing Day: each weekend day moves to the next weekday not already a holiday.
  const christmas = iso(year, 12, 25);
  const boxing = iso(year, 12, 26);
  switch (weekday(christmas)) {
    case 5: // Friday: Boxing Day (Saturday) moves to Monday
      days.add(christmas).add(iso(year, 12, 28));
      break;
    case 6: // Saturday: both move, to Monday and Tuesday
      days.add(iso(year, 12, 27)).add(iso(year, 12, 28));
      break;
    case 0: // Sunday: Christmas moves to Tuesday; Boxing Day is Monday
      days.add(boxing).add(iso(year, 12, 27));
      break;
    default:
      days.add(christmas).add(boxing);
  }
  for (const day of EXCEPTIONS.removed) if (day.startsWith(`${String(year)}-`)) days.delete(day);
  for (const day of EXCEPTIONS.added) if (day.startsWith(`${String(year)}-`)) days.add(day);
  cache.set(year, days);
  return days;
}

export function isWorkingDay(date: string): boolean {
  const day = weekday(date);
  return day !== 0 && day !== 6 && !bankHolidays(Number(date.slice(0, 4))).has(date);
}

/** Weekdays (Monday to Friday) after `from` up to and including `to`, counted arithmetically. */
function weekdaysAfter(from: string, to: string): number {
  const days = daysBetween(from, to);
  const weeks = Math.floor(days / 7);
  let count = weeks * 5;
  // The days left over after whole weeks, each a weekday or not.
  const start = weekday(from);
  for (let extra = 1; extra <= days - weeks * 7; extra++) {
    const day = (start + extra) % 7;
    if (day !== 0 && day !== 6) count += 1;
  }
  return count;
}

/**
 * Working days after `from` up to and including `to` (0 when `to` is not after `from`):
 * weekdays by arithmetic, less the weekday bank holidays between, so a wait of years costs no
 * more than one of days (the waiting list computes this for everyone waiting).
 */
export function workingDaysBetween(from: string, to: string): number {
  if (to <= from) return 0;
  let count = weekdaysAfter(from, to);
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const holiday of bankHolidays(year)) {
      // The range first: working out the day of the week parses a date.
      if (holiday <= from || holiday > to) continue;
      const day = weekday(holiday);
      if (day !== 0 && day !== 6) count -= 1;
    }
  }
  return count;
}

/** The date `n` working days after `from`. */
export function addWorkingDays(from: string, n: number): string {
  let day = from;
  for (let left = n; left > 0;) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) left -= 1;
  }
  return day;
}
