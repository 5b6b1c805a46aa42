/**
 * What the session tests post and read back: a date as the form's three boxes, when a session
 * is as the booking form posts it, and a participant's sessions as rows.
 */
import { sql } from 'drizzle-orm';
import { queryRows } from './rows.ts';
import type { TestApp } from './test-app.ts';

/** A UK date (YYYY-MM-DD) as a date input's three boxes, named `prefix[day]` and so on. */
export function dateFields(prefix: string, iso: string): Record<string, string> {
  const [year = '', month = '', day = ''] = iso.split('-');
  return {
    [`${prefix}[day]`]: String(Number(day)),
    [`${prefix}[month]`]: String(Number(month)),
    [`${prefix}[year]`]: year,
  };
}

/** When a session is, as the booking and past-session forms post it: the date, then HH:MM. */
export function plannedFields(iso: string, time = '10:00'): Record<string, string> {
  return { ...dateFields('plannedOn', iso), plannedTime: time };
}

export interface SessionRow {
  id: string;
  status: string;
  status_reason: string | null;
  status_reason_other: string | null;
  duration_minutes: number | null;
  sections: string[];
  story_sharing: boolean | null;
  note: string | null;
  outside_window_reason: string | null;
  version: number;
  planned_at: Date | string;
  place: string | null;
  recorded_at: Date | string | null;
}

/** A participant's sessions, earliest planned first (then in the order they were booked). */
export function sessionsOf(t: TestApp, participantId: string): Promise<SessionRow[]> {
  return queryRows<SessionRow>(
    t.database,
    sql`SELECT * FROM programme_sessions WHERE participant_id = ${participantId} ORDER BY planned_at, booked_at`,
  );
}
