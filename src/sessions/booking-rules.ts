/**
 * The programme's rules for booking a session (PRODUCT.md section 2): not before discharge, up
 * to `sessionCap` sessions within the programme window; more, or later, needs the worker to say
 * so on purpose. The messages are the forms' own; each form asks in its own tense.
 */
import type { FieldErrors } from '../platform/errors.ts';
import type { ParticipantWithAllocation } from '../participants/participant.repository.ts';
import type { ProgrammeWindow } from '../participants/programme-window.ts';
import type { BookingInput } from './session.form.ts';
import type { SessionCounts } from './session.repository.ts';

/** The dose so far as the participant summary and caseload show it. */
export function capReached(counts: SessionCounts, sessionCap: number): boolean {
  return counts.attended + counts.planned >= sessionCap;
}

/** Where a booking breaks a rule the worker has not said they mean to break. */
export function bookingErrors(
  input: BookingInput,
  participant: ParticipantWithAllocation,
  window: ProgrammeWindow,
  counts: SessionCounts,
  sessionCap: number,
): FieldErrors {
  const errors: FieldErrors = {};
  if (input.plannedOn < participant.dischargedOn) {
    errors.plannedOn = 'Date of the session must be on or after the day they were discharged';
  }
  if (input.plannedOn > window.windowEndsOn && !input.outsideWindowReason) {
    errors.outsideWindowReason =
      'Enter why this session is after the programme window ends, or choose an earlier date';
  }
  if (capReached(counts, sessionCap) && !input.confirmOverCap) {
    errors.confirmOverCap = `Confirm you have agreed a session beyond the ${String(sessionCap)} in the programme`;
  }
  return errors;
}

/** The same rules for a session that already happened, which must also be in the past. */
export function pastSessionErrors(
  booking: BookingInput,
  plannedAt: Date,
  now: Date,
  participant: ParticipantWithAllocation,
  window: ProgrammeWindow,
  counts: SessionCounts,
  sessionCap: number,
): FieldErrors {
  const errors: FieldErrors = {};
  if (plannedAt.getTime() > now.getTime()) {
    errors.plannedOn = 'Date and time of the session must be in the past. To plan a session, book it instead';
  } else if (booking.plannedOn < participant.dischargedOn) {
    errors.plannedOn = 'Date of the session must be on or after the day they were discharged';
  }
  if (booking.plannedOn > window.windowEndsOn && !booking.outsideWindowReason) {
    errors.outsideWindowReason =
      'Enter why this session was after the programme window ended, or check the date';
  }
  if (capReached(counts, sessionCap) && !booking.confirmOverCap) {
    errors.confirmOverCap = `Confirm you agreed a session beyond the ${String(sessionCap)} in the programme`;
  }
  return errors;
}
