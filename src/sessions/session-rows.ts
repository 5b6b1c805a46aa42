/** The rows a booking and a record write: a session as planned, and what happened at it. */
import type { BookingInput, RecordInput } from './session.form.ts';
import type { NewProgrammeSession, SessionOutcome } from './session.repository.ts';

/** A newly planned session, nothing recorded yet, at version 1. */
export function plannedSessionRow(fields: {
  id: string;
  participantId: string;
  peerWorkerId: string;
  bookedBy: string;
  bookedAt: Date;
  plannedAt: Date;
  booking: BookingInput;
  outsideWindow: boolean;
  isEnding: boolean;
}): NewProgrammeSession {
  const { booking } = fields;
  return {
    id: fields.id,
    participantId: fields.participantId,
    peerWorkerId: fields.peerWorkerId,
    bookedBy: fields.bookedBy,
    bookedAt: fields.bookedAt,
    plannedAt: fields.plannedAt,
    mode: booking.mode,
    place: booking.mode === 'in_person' ? booking.place : null,
    status: 'planned',
    statusReason: null,
    statusReasonOther: null,
    durationMinutes: null,
    sections: [],
    storySharing: null,
    note: null,
    followUps: null,
    outsideWindowReason: fields.outsideWindow ? booking.outsideWindowReason : null,
    recordedBy: null,
    recordedAt: null,
    submissionToken: booking.submissionToken,
    version: 1,
    isEnding: fields.isEnding,
  };
}

/** What happened, as recorded: what was worked on only if they attended, a reason if not. */
export function sessionOutcome(input: RecordInput, recordedBy: string, recordedAt: Date): SessionOutcome {
  const attended = input.status === 'attended';
  return {
    status: input.status,
    statusReason: attended ? null : input.reason,
    statusReasonOther: attended ? null : input.reasonOther,
    durationMinutes: attended ? input.durationMinutes : null,
    sections: attended ? input.sections : [],
    storySharing: attended ? input.storySharing : null,
    note: attended ? input.note : null,
    followUps: attended ? input.followUps : null,
    recordedBy,
    recordedAt,
    concernToRaise: input.concernToRaise,
  };
}
