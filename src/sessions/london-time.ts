/** Session times are typed and shown as UK wall-clock times, and stored as UTC instants. */

const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** The UK wall-clock reading at an instant, as if it were UTC (milliseconds). */
function londonWallClock(instant: number): number {
  const parts: Record<string, number> = {};
  for (const part of LONDON_PARTS.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
}

/**
 * The instant a UK date and time names. In the hour the clocks go back the earlier one is
 * taken; a time skipped when the clocks go forward lands an hour later.
 */
export function londonDateTime(isoDate: string, hour: number, minute: number): Date {
  const wall = Date.parse(`${isoDate}T00:00:00Z`) + hour * 3_600_000 + minute * 60_000;
  let guess = wall;
  for (let i = 0; i < 2; i++) guess = wall - (londonWallClock(guess) - guess);
  return new Date(guess);
}

/** "14:30" in the UK for an instant, for putting a time back in its box. */
export function londonTimeOfDay(instant: Date): string {
  return new Date(londonWallClock(instant.getTime())).toISOString().slice(11, 16);
}
