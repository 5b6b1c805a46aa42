/**
 * Each booking form carries a submission token, kept on the session it booked: a resubmitted
 * form (a double click, a retry after a lost answer) finds the session it already booked
 * instead of booking another.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { ProgrammeSessionRepository, ProgrammeSessionRow } from './session.repository.ts';

export interface Booked {
  sessionId: string;
  duplicate: boolean;
}

/**
 * Runs `book` with a new session id unless this form's token already booked one; the caller
 * asks the policy first, so a resubmitted form says nothing to anyone who may not book.
 */
export async function bookOnce(
  db: Db,
  sessions: Pick<ProgrammeSessionRepository, 'idBySubmissionToken'>,
  submissionToken: string,
  participantId: string,
  book: (sessionId: string) => Promise<void>,
): Promise<Booked> {
  const existing = await sessions.idBySubmissionToken(db, submissionToken);
  if (existing) return firstBooking(existing, participantId);
  const sessionId = randomUUID();
  try {
    await book(sessionId);
  } catch (error) {
    // Two copies of one form racing: the loser finds the winner's session.
    if (isUniqueViolation(error, 'programme_sessions_submission_token_key')) {
      const winner = await sessions.idBySubmissionToken(db, submissionToken);
      if (winner) return firstBooking(winner, participantId);
    }
    throw error;
  }
  return { sessionId, duplicate: false };
}

function firstBooking(existing: ProgrammeSessionRow, participantId: string): Booked {
  // A token is only ever good for the form it was issued with.
  if (existing.participantId !== participantId) throw new NotFoundError('participant');
  return { sessionId: existing.id, duplicate: true };
}
