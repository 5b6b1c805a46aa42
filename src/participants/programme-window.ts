/**
 * Where a participant is in the programme: up to 10 sessions within a window that starts at
 * crisis-team discharge (3 months by default; the trial registry said 4). Dates are calendar
 * dates in the UK.
 */
export interface ProgrammeWindow {
  windowEndsOn: string;
  weeksSinceDischarge: number;
  /** "today", "this week", "1 week ago", "5 weeks ago": never "0 weeks ago". */
  dischargedWhen: string;
  daysLeft: number;
}

/** How long ago discharge was, in the words a page shows beside its date. */
export function dischargedWhen(daysSince: number): string {
  if (daysSince === 0) return 'today';
  const weeks = Math.floor(daysSince / 7);
  if (weeks === 0) return 'this week';
  return weeks === 1 ? '1 week ago' : `${String(weeks)} weeks ago`;
}

const DAY_MS = 86_400_000;

// Built once: constructing a DateTimeFormat costs ~50 µs, and this runs for every caseload row.
const LONDON_ISO_DATE = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Today's date in the UK as YYYY-MM-DD. */
export function londonToday(now: Date): string {
  return LONDON_ISO_DATE.format(now);
}

function toUtcMs(isoDate: string): number {
  return Date.parse(`${isoDate}T00:00:00Z`);
}

/** Adds calendar months, clamping to the month's last day (31 January + 1 month = 28/29 February). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}

export function programmeWindow(dischargedOn: string, today: string, windowMonths: number): ProgrammeWindow {
  const windowEndsOn = addMonths(dischargedOn, windowMonths);
  const daysSince = Math.max(0, Math.round((toUtcMs(today) - toUtcMs(dischargedOn)) / DAY_MS));
  return {
    windowEndsOn,
    weeksSinceDischarge: Math.floor(daysSince / 7),
    dischargedWhen: dischargedWhen(daysSince),
    daysLeft: Math.max(0, Math.round((toUtcMs(windowEndsOn) - toUtcMs(today)) / DAY_MS)),
  };
}

/** Whole years between a date of birth and a day. */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}
