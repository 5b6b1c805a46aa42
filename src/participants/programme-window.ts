/**
 * Where a participant is in the programme: up to 10 sessions within a window that starts at
 * crisis-team discharge (3 months by default; the trial registry said 4). Dates are calendar
 * dates in the UK.
 */
import { addMonths, daysBetween } from '../platform/calendar/uk-time.ts';

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

export function programmeWindow(dischargedOn: string, today: string, windowMonths: number): ProgrammeWindow {
  const windowEndsOn = addMonths(dischargedOn, windowMonths);
  const daysSince = Math.max(0, daysBetween(dischargedOn, today));
  return {
    windowEndsOn,
    weeksSinceDischarge: Math.floor(daysSince / 7),
    dischargedWhen: dischargedWhen(daysSince),
    daysLeft: Math.max(0, daysBetween(today, windowEndsOn)),
  };
}

/** Whole years between a date of birth and a day. */
export function ageOn(dateOfBirth: string, day: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number) as [number, number, number];
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/**
 * Trial mode: why nothing of the programme may be offered to this person (the control group, or
 * withdrawn from the intervention), in words for the form that tried; null when it may.
 */
export function interventionWithheldMessage(participant: {
  interventionWithheld: 'trial_control' | 'trial_withdrawn' | null;
}): string | null {
  if (participant.interventionWithheld === 'trial_control')
    return 'They are in the research trial’s control group, so they are not offered peer support sessions';
  if (participant.interventionWithheld === 'trial_withdrawn')
    return 'They have withdrawn from peer support in the research trial, so no more sessions can be arranged';
  return null;
}
