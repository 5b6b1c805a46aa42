/**
 * Where a participant stands in their own programme, in the words their page uses: sessions
 * had and left of the dose, when it is planned to end, and whether the end is near or has
 * passed (PRODUCT.md section 2: endings felt disorienting, so the page says what comes next).
 * Pure: every threshold is unit-tested.
 */
import { programmeWindow } from './programme-window.ts';

export type ProgrammeStage =
  /** Sessions and weeks left: nothing to say yet about the end. */
  | 'under_way'
  /** The last sessions, or the last weeks (`windowClosingDays`): the ending is coming. */
  | 'ending_soon'
  /** The planned end date has passed, or every session has been had, and it is not ended yet. */
  | 'past_planned_end';

export interface ProgrammeProgress {
  sessionsSoFar: number;
  sessionCap: number;
  /** Of the dose, never below 0. */
  sessionsLeft: number;
  /** The end of the window from discharge (YYYY-MM-DD). */
  plannedEndOn: string;
  /** Today is on or after the planned end. */
  plannedEndPassed: boolean;
  stage: ProgrammeStage;
}

/** Two sessions left is "the last sessions": the ending session gets planned in one of them. */
const LAST_SESSIONS = 2;

export function programmeProgress(input: {
  dischargedOn: string;
  today: string;
  sessionsAttended: number;
  sessionCap: number;
  windowMonths: number;
  windowClosingDays: number;
}): ProgrammeProgress {
  const window = programmeWindow(input.dischargedOn, input.today, input.windowMonths);
  const sessionsLeft = Math.max(0, input.sessionCap - input.sessionsAttended);
  const stage: ProgrammeStage =
    window.daysLeft === 0 || sessionsLeft === 0
      ? 'past_planned_end'
      : window.daysLeft <= input.windowClosingDays || sessionsLeft <= LAST_SESSIONS
        ? 'ending_soon'
        : 'under_way';
  return {
    sessionsSoFar: input.sessionsAttended,
    sessionCap: input.sessionCap,
    sessionsLeft,
    plannedEndOn: window.windowEndsOn,
    plannedEndPassed: window.daysLeft === 0,
    stage,
  };
}
