/**
 * When a safety concern or advice request must be acknowledged by (PRODUCT.md section 5).
 * Pure: times in, times out. The app clock decides when a deadline has passed, never the
 * database's now(), so tests move time by hand.
 *
 * - immediate: `immediateAckMinutes` (15) after raising, on the clock: crisis teams work around it.
 * - urgent: `urgentAckMinutes` (60) after raising, on the clock.
 * - routine: the end of the working day (`workingDayEndHour`, UK time) `routineAckWorkingDays`
 *   working days of England and Wales after the day it was raised. Raised on a day that is not
 *   a working day, or at or after the end of the working day, it counts from the next working day.
 */
import type { ConcernUrgency } from '../platform/database/schema.ts';
import { addWorkingDays, isWorkingDay } from '../platform/calendar/working-days.ts';
import { addDays, fromUkWallClock, ukWallClock } from '../platform/calendar/uk-time.ts';

export interface ConcernDeadlineSettings {
  immediateAckMinutes: number;
  urgentAckMinutes: number;
  routineAckWorkingDays: number;
  /** UK local hours: the working day runs from `workingDayStartHour`:00 to `workingDayEndHour`:00. */
  workingDayStartHour: number;
  workingDayEndHour: number;
  /** Minutes between escalation steps of an unacknowledged concern. */
  escalationStepMinutes: number;
  /** Minutes an immediate concern may wait for "I have called 999" before that is escalated. */
  call999ConfirmMinutes: number;
}

export const DEFAULT_CONCERN_DEADLINES: ConcernDeadlineSettings = {
  immediateAckMinutes: 15,
  urgentAckMinutes: 60,
  routineAckWorkingDays: 3,
  workingDayStartHour: 9,
  workingDayEndHour: 17,
  escalationStepMinutes: 30,
  call999ConfirmMinutes: 5,
};

const MINUTE = 60_000;

/** The working day a routine item raised at `raisedAt` counts from (UK date). */
function countingDay(raisedAt: Date, endHour: number): string {
  const { date, minutes } = ukWallClock(raisedAt);
  let day = date;
  if (!isWorkingDay(day) || minutes >= endHour * 60) {
    day = addDays(day, 1);
    while (!isWorkingDay(day)) day = addDays(day, 1);
  }
  return day;
}

export function acknowledgeBy(
  urgency: ConcernUrgency,
  raisedAt: Date,
  settings: ConcernDeadlineSettings,
): Date {
  switch (urgency) {
    case 'immediate':
      return new Date(raisedAt.getTime() + settings.immediateAckMinutes * MINUTE);
    case 'urgent':
      return new Date(raisedAt.getTime() + settings.urgentAckMinutes * MINUTE);
    case 'routine': {
      const from = countingDay(raisedAt, settings.workingDayEndHour);
      return fromUkWallClock(
        addWorkingDays(from, settings.routineAckWorkingDays),
        settings.workingDayEndHour,
        0,
      );
    }
  }
}

/** When escalation step `step` (1, 2, 3) of an unacknowledged item is due. */
export function escalationDueAt(deadline: Date, step: number, settings: ConcernDeadlineSettings): Date {
  return new Date(deadline.getTime() + (step - 1) * settings.escalationStepMinutes * MINUTE);
}
