/**
 * Dates and times as people in the UK read them, in UK time (Europe/London, GMT or BST). Every
 * page, message and document writes dates and times through these.
 *
 * Each Intl.DateTimeFormat is built once, here: building one costs ~50 µs, and lists format a
 * date per row.
 */
import { ukWallClock } from './uk-time.ts';

const UK_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});
const UK_DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  // Not `hour12: true`: en-GB then counts hours 0-11, so midday would read "0:30 pm".
  hourCycle: 'h12',
  timeZone: 'Europe/London',
});
const UK_WEEKDAY_DATE = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  timeZone: 'Europe/London',
});
const UK_MONTH = new Intl.DateTimeFormat('en-GB', {
  month: 'long',
  year: 'numeric',
  timeZone: 'Europe/London',
});

/** A calendar date (YYYY-MM-DD) as an instant at UK midday of that day: every offset keeps the date. */
const midday = (isoDate: string) => new Date(`${isoDate}T12:00:00Z`);

/** "26 November 2026" for a calendar date (YYYY-MM-DD) or an instant; "" for none. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  return UK_DATE.format(typeof value === 'string' ? midday(value) : value);
}

/** "26 November 2026, 2:30 pm"; "" for none. */
export function formatDateTime(value: Date | null | undefined): string {
  return value ? UK_DATE_TIME.format(value).replace(' at ', ', ') : '';
}

/** "Thursday 3 December". */
export function formatWeekdayDate(instant: Date): string {
  return UK_WEEKDAY_DATE.format(instant).replace(',', '');
}

/** "2:30pm", "10am", "midday", "midnight" (GOV.UK style). */
export function formatTime(instant: Date): string {
  const { hour, minute } = ukWallClock(instant);
  if (minute === 0 && hour === 12) return 'midday';
  if (minute === 0 && hour === 0) return 'midnight';
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${String(h12)}${minute === 0 ? '' : `:${String(minute).padStart(2, '0')}`}${hour < 12 ? 'am' : 'pm'}`;
}

/** "November 2026" for a month, YYYY-MM. */
export function formatMonth(yearMonth: string): string {
  return UK_MONTH.format(midday(`${yearMonth}-15`));
}
