/**
 * UK time: calendar dates and wall-clock times in Europe/London, and the instants (stored as
 * UTC) they name. The one place that converts between them; every feature uses these.
 *
 * Calendar dates are YYYY-MM-DD strings. Date arithmetic on them is done at UTC midnight, where
 * every day has 24 hours, so it never meets a clock change.
 *
 * The clocks go forward at 01:00 UTC on the last Sunday of March (01:00 GMT becomes 02:00 BST)
 * and back at 01:00 UTC on the last Sunday of October (02:00 BST becomes 01:00 GMT). So on those
 * days one UK wall-clock hour is missing (01:00-01:59 in March) and one happens twice
 * (01:00-01:59 in October). `fromUkWallClock` documents what it does with each.
 */

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

// Built once: constructing a DateTimeFormat costs ~50 µs, and this runs for every caseload row.
const UK_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

export interface UkWallClock {
  /** The UK calendar date, YYYY-MM-DD. */
  date: string;
  hour: number;
  minute: number;
  /** Minutes since UK midnight. */
  minutes: number;
}

interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function intlParts(instant: Date | number): Parts {
  const parts: Parts = { year: '1970', month: '01', day: '01', hour: '00', minute: '00', second: '00' };
  for (const part of UK_PARTS.formatToParts(instant)) {
    if (part.type in parts) parts[part.type as keyof Parts] = part.value;
  }
  return parts;
}

const HOUR_MS = 3_600_000;
/** The UK's offset from UTC for each UTC hour asked about (the clocks change only on the hour). */
const offsetByHour = new Map<number, number>();

/** The UK's offset from UTC at an instant: the time zone database's, asked once per UTC hour. */
function offsetAt(instant: number): number {
  const hour = Math.floor(instant / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const p = intlParts(hour * HOUR_MS);
    offset =
      Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) -
      hour * HOUR_MS;
    // A few years of hours at most; a long-running server that has asked about more starts again.
    if (offsetByHour.size >= 100_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

const two = (n: number) => String(n).padStart(2, '0');

/**
 * The UK wall clock's fields at an instant. Pages work these out for every participant on a
 * list, so the offset is looked up once per hour rather than formatted per instant: every UK
 * clock change happens at 01:00 UTC, so within a UTC hour the offset is one.
 */
function ukParts(instant: Date | number): Parts {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  if (!Number.isFinite(ms)) return intlParts(instant);
  const wall = new Date(ms + offsetAt(ms));
  return {
    year: String(wall.getUTCFullYear()).padStart(4, '0'),
    month: two(wall.getUTCMonth() + 1),
    day: two(wall.getUTCDate()),
    hour: two(wall.getUTCHours()),
    minute: two(wall.getUTCMinutes()),
    second: two(wall.getUTCSeconds()),
  };
}

/** The UK calendar date and time of day at an instant. */
export function ukWallClock(instant: Date): UkWallClock {
  const parts = ukParts(instant);
  const hour = Number(parts.hour);
  const minute = Number(parts.minute);
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour, minute, minutes: hour * 60 + minute };
}

/** The UK calendar date (YYYY-MM-DD) at an instant: "today" when the instant is now. */
export function ukToday(instant: Date): string {
  return ukWallClock(instant).date;
}

/** "14:30": the UK time of day at an instant, on the 24-hour clock (as a time box takes it). */
export function ukTimeOfDay(instant: Date): string {
  const { hour, minute } = ukWallClock(instant);
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

/** How far the UK wall clock is ahead of UTC at an instant, in milliseconds (0 in GMT, 1 hour in BST). */
function ukOffsetMs(instant: number): number {
  const p = ukParts(instant);
  const wall = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a UK date and wall-clock time name.
 *
 * - In the hour the clocks go back (October, 01:00-01:59 happens twice) the EARLIER one is
 *   taken: the BST reading, 00:xx UTC. Someone who books 01:30 that night means the first 01:30.
 * - A time skipped when the clocks go forward (March, 01:00-01:59 does not exist) is read on
 *   the clock before the change (GMT), so it lands an hour later on the wall clock: 01:30
 *   becomes 01:30 UTC, which is 02:30 BST.
 */
export function fromUkWallClock(isoDate: string, hour: number, minute: number): Date {
  const wall = Date.parse(`${isoDate}T00:00:00Z`) + hour * 3_600_000 + minute * MINUTE_MS;
  // The offsets in force a day either side: the same unless a clock change is near.
  const before = ukOffsetMs(wall - DAY_MS);
  const after = ukOffsetMs(wall + DAY_MS);
  const readsBack = (offset: number) => ukOffsetMs(wall - offset) === offset;
  // The larger offset gives the earlier instant: BST before GMT in the repeated hour.
  for (const offset of before >= after ? [before, after] : [after, before]) {
    if (readsBack(offset)) return new Date(wall - offset);
  }
  // The missing hour: no offset reads back, so read it on the clock before the change.
  return new Date(wall - before);
}

/** The instant a UK calendar day begins (midnight, never in a changing hour). */
export function startOfUkDay(isoDate: string): Date {
  return fromUkWallClock(isoDate, 0, 0);
}

/** A calendar date `days` later (earlier when negative). */
export function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** Adds calendar months, clamping to the month's last day (31 January + 1 month = 28/29 February). */
export function addMonths(isoDate: string, months: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, lastDay));
  return target.toISOString().slice(0, 10);
}
