/**
 * How long someone has waited for a (new) peer support worker, in working days of England
 * and Wales, against the target (5 working days by default): overdue cases stand out.
 */
import { addWorkingDays, workingDaysBetween } from '../platform/calendar/working-days.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';

export interface WaitingTime {
  workingDaysWaiting: number;
  /** The last working day within the target. */
  dueBy: string;
  overdue: boolean;
}

export function waitingTime(since: Date, now: Date, targetWorkingDays: number): WaitingTime {
  const from = ukToday(since);
  const today = ukToday(now);
  const workingDaysWaiting = workingDaysBetween(from, today);
  return {
    workingDaysWaiting,
    dueBy: addWorkingDays(from, targetWorkingDays),
    overdue: workingDaysWaiting > targetWorkingDays,
  };
}
