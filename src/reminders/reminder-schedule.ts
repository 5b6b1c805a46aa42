/**
 * When each message about a session goes, in UK time, inside the hours the participant says
 * are safe (a shared phone must not buzz at the wrong time). Pure: times in, times out.
 *
 * - 'booked', the confirmation: as soon as it is safe after booking, if that is before the session.
 * - 'upcoming', the reminder: `hoursBefore` hours before the session on the UK wall clock (so
 *   a 10am session is reminded at 10am the day before, across the clock change too); outside
 *   the safe hours it moves to the latest safe time before it (often the evening before). It
 *   is never sent after the session; when no safe time is left, it is skipped and says why.
 * - A session booked after its time has passed gets neither, and says so.
 */
import { addDays, fromUkWallClock, ukWallClock } from '../platform/calendar/uk-time.ts';

export type ReminderChannel = 'sms' | 'email' | 'none';
export type ReminderKind = 'booked' | 'upcoming';

/** UK local hours; a time is safe from `earliestHour`:00 up to and including `latestHour`:00. */
export interface SafeWindow {
  earliestHour: number;
  latestHour: number;
}

export type PlannedReminder =
  | { kind: ReminderKind; status: 'scheduled'; dueAt: Date }
  | { kind: ReminderKind; status: 'skipped'; dueAt: Date; reason: string };

export const OUTSIDE_SAFE_TIMES = 'outside safe times';
export const BOOKED_TOO_CLOSE = 'booked too close to the session: the booking message is the reminder';
/** A session recorded after it happened: nothing to tell the participant about it. */
export const SESSION_PASSED = "no reminder: the session's time has passed";

export function isSafe(instant: Date, window: SafeWindow): boolean {
  const { minutes } = ukWallClock(instant);
  return minutes >= window.earliestHour * 60 && minutes <= window.latestHour * 60;
}

/** The instant itself if it is safe, or the end of the last safe hours before it. */
export function latestSafeAtOrBefore(instant: Date, window: SafeWindow): Date {
  if (isSafe(instant, window)) return instant;
  const { date, minutes } = ukWallClock(instant);
  const day = minutes > window.latestHour * 60 ? date : addDays(date, -1);
  return fromUkWallClock(day, window.latestHour, 0);
}

/** The instant itself if it is safe, or the start of the next safe hours after it. */
export function earliestSafeAtOrAfter(instant: Date, window: SafeWindow): Date {
  if (isSafe(instant, window)) return instant;
  const { date, minutes } = ukWallClock(instant);
  const day = minutes < window.earliestHour * 60 ? date : addDays(date, 1);
  return fromUkWallClock(day, window.earliestHour, 0);
}

/** `hours` before an instant on the UK wall clock: 10am stays 10am across a clock change. */
export function ukHoursBefore(instant: Date, hours: number): Date {
  const { date, minutes } = ukWallClock(instant);
  const total = minutes - hours * 60;
  const days = Math.floor(total / 1440);
  const rest = total - days * 1440;
  return fromUkWallClock(addDays(date, days), Math.floor(rest / 60), rest % 60);
}

/** The confirmation and the reminder for a session booked (or re-planned) at `now`. */
export function planReminders(input: {
  now: Date;
  sessionStartsAt: Date;
  hoursBefore: number;
  window: SafeWindow;
}): PlannedReminder[] {
  const { now, sessionStartsAt, hoursBefore, window } = input;
  const start = sessionStartsAt.getTime();
  const plans: PlannedReminder[] = [];

  // Booked after the time it was for (a session written up afterwards): the reason is the
  // past, never the safe hours, whatever time of day it is booked.
  if (start <= now.getTime()) {
    return (['booked', 'upcoming'] as const).map((kind) => ({
      kind,
      status: 'skipped',
      dueAt: now,
      reason: SESSION_PASSED,
    }));
  }

  const confirmation = earliestSafeAtOrAfter(now, window);
  plans.push(
    confirmation.getTime() < start
      ? { kind: 'booked', status: 'scheduled', dueAt: confirmation }
      : { kind: 'booked', status: 'skipped', dueAt: now, reason: OUTSIDE_SAFE_TIMES },
  );

  const due = ukHoursBefore(sessionStartsAt, hoursBefore);
  if (due.getTime() <= now.getTime()) {
    plans.push({ kind: 'upcoming', status: 'skipped', dueAt: due, reason: BOOKED_TOO_CLOSE });
  } else {
    const safe = latestSafeAtOrBefore(due, window);
    plans.push(
      safe.getTime() > now.getTime() && safe.getTime() < start
        ? { kind: 'upcoming', status: 'scheduled', dueAt: safe }
        : { kind: 'upcoming', status: 'skipped', dueAt: due, reason: OUTSIDE_SAFE_TIMES },
    );
  }
  return plans;
}

/**
 * Exponential back-off after a provider failure: 1, 2, 4, 8… minutes after the attempt that
 * failed (`attempts` counts failures so far, 1 after the first).
 */
export function retryDelayMs(attempts: number): number {
  return 2 ** Math.max(0, attempts - 1) * 60_000;
}

/** The reminder channel a new referral starts with, from how they said they like to be contacted. */
export function defaultReminderChannel(contact: {
  contactMethods: readonly string[];
  mobile: string | null;
  email: string | null;
}): ReminderChannel {
  if (contact.contactMethods.includes('sms') && contact.mobile) return 'sms';
  if (contact.email && contact.contactMethods.includes('email')) return 'email';
  return 'none';
}
