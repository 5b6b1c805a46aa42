import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { contactAttempts, programmeSessions, staffUsers } from '../platform/database/schema.ts';

export type ContactAttemptRow = typeof contactAttempts.$inferSelect;
export type ContactMethod = ContactAttemptRow['method'];
export type ContactOutcome = ContactAttemptRow['outcome'];

/** Outcomes that mean the participant was reached. */
export const REACHED_OUTCOMES: readonly ContactOutcome[] = ['spoke', 'reply_received'];

export class ContactAttemptRepository {
  async insert(db: Db, row: ContactAttemptRow): Promise<void> {
    await db.insert(contactAttempts).values(row);
  }

  async bySubmissionToken(db: Db, token: string): Promise<ContactAttemptRow | undefined> {
    const [row] = await db.select().from(contactAttempts).where(eq(contactAttempts.submissionToken, token));
    return row;
  }

  /** A participant's attempts, newest first, with who made each. */
  async listForParticipant(
    db: Db,
    participantId: string,
  ): Promise<(ContactAttemptRow & { madeByName: string })[]> {
    const rows = await db
      .select({ attempt: contactAttempts, madeByName: staffUsers.fullName })
      .from(contactAttempts)
      .innerJoin(staffUsers, eq(staffUsers.id, contactAttempts.madeBy))
      .where(eq(contactAttempts.participantId, participantId))
      .orderBy(desc(contactAttempts.madeAt));
    return rows.map((row) => ({ ...row.attempt, madeByName: row.madeByName }));
  }

  /** When the participant was last reached by a contact attempt, if ever. */
  async lastReachedAt(db: Db, participantId: string): Promise<Date | null> {
    const [row] = await db
      .select({ at: sql<Date | null>`max(${contactAttempts.madeAt})`.mapWith(contactAttempts.madeAt) })
      .from(contactAttempts)
      .where(and(eq(contactAttempts.participantId, participantId), eq(contactAttempts.reached, true)));
    return row?.at ?? null;
  }

  /**
   * Unsuccessful attempts since the participant was last reached, by contact or at an
   * attended session (`since`, the later of the two, or null if never reached).
   */
  async attemptsSince(db: Db, participantId: string, since: Date | null): Promise<ContactAttemptRow[]> {
    return db
      .select()
      .from(contactAttempts)
      .where(
        and(
          eq(contactAttempts.participantId, participantId),
          eq(contactAttempts.reached, false),
          since ? gt(contactAttempts.madeAt, since) : undefined,
        ),
      )
      .orderBy(desc(contactAttempts.madeAt));
  }

  /** When the participant last attended a session (its planned start), if ever: that reaches them too. */
  async lastAttendedAt(db: Db, participantId: string): Promise<Date | null> {
    const [row] = await db
      .select({
        at: sql<Date | null>`max(${programmeSessions.plannedAt})`.mapWith(programmeSessions.plannedAt),
      })
      .from(programmeSessions)
      .where(
        and(eq(programmeSessions.participantId, participantId), eq(programmeSessions.status, 'attended')),
      );
    return row?.at ?? null;
  }
}
