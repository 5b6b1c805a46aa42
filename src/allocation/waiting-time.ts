/**
 * How long someone has waited for a (new) peer support worker, in working days of England
 * and Wales, against the target (5 working days by default): overdue cases stand out.
 */
import { londonToday } from '../participants/programme-window.ts';
import { addWorkingDays, workingDaysBetween } from '../platform/calendar/working-days.ts';

export interface WaitingTime {
  workingDaysWaiting: number;
  /** The last working day within the target. */
  dueBy: string;
  overdue: boolean;
}

export function waitingTime(since: Date, now: Date, targetWorkingDays: number): WaitingTime {
  const from = londonToday(since);
  const today = londonToday(now);
  const workingDaysWaiting = workingDaysBetween(from, today);
  return {
    workingDaysWaiting,
    dueBy: addWorkingDays(from, targetWorkingDays),
    overdue: workingDaysWaiting > targetWorkingDays,
  };
}
