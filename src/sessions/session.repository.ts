import { and, asc, desc, eq, gte, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { programmeSessionRevisions, programmeSessions, staffUsers } from '../platform/database/schema.ts';

export type ProgrammeSessionRow = typeof programmeSessions.$inferSelect;
export type NewProgrammeSession = typeof programmeSessions.$inferInsert;
export type SessionStatus = ProgrammeSessionRow['status'];
export type SessionRevisionRow = typeof programmeSessionRevisions.$inferSelect;

/** What a recording changes on a session. */
export type SessionOutcome = Pick<
  ProgrammeSessionRow,
  | 'status'
  | 'statusReason'
  | 'statusReasonOther'
  | 'durationMinutes'
  | 'sections'
  | 'storySharing'
  | 'note'
  | 'followUps'
  | 'recordedBy'
  | 'recordedAt'
  | 'concernToRaise'
>;

/** Attended and still-planned sessions: the dose used and the dose booked. */
export interface SessionCounts {
  attended: number;
  planned: number;
}

export class ProgrammeSessionRepository {
  async insert(db: Db, row: NewProgrammeSession): Promise<void> {
    await db.insert(programmeSessions).values(row);
  }

  async idBySubmissionToken(db: Db, token: string): Promise<ProgrammeSessionRow | undefined> {
    const [row] = await db
      .select()
      .from(programmeSessions)
      .where(eq(programmeSessions.submissionToken, token));
    return row;
  }

  async findById(db: Db, id: string): Promise<ProgrammeSessionRow | undefined> {
    const [row] = await db.select().from(programmeSessions).where(eq(programmeSessions.id, id));
    return row;
  }

  /** A participant's sessions in date order, with the worker's name. */
  async listForParticipant(
    db: Db,
    participantId: string,
  ): Promise<(ProgrammeSessionRow & { peerWorkerName: string })[]> {
    const rows = await db
      .select({ session: programmeSessions, peerWorkerName: staffUsers.fullName })
      .from(programmeSessions)
      .innerJoin(staffUsers, eq(staffUsers.id, programmeSessions.peerWorkerId))
      .where(eq(programmeSessions.participantId, participantId))
      .orderBy(asc(programmeSessions.plannedAt));
    return rows.map((row) => ({ ...row.session, peerWorkerName: row.peerWorkerName }));
  }

  /** A participant's planned sessions from `from` on, soonest first. */
  async upcomingForParticipant(
    db: Db,
    participantId: string,
    from: Date,
  ): Promise<(ProgrammeSessionRow & { peerWorkerName: string })[]> {
    const rows = await db
      .select({ session: programmeSessions, peerWorkerName: staffUsers.fullName })
      .from(programmeSessions)
      .innerJoin(staffUsers, eq(staffUsers.id, programmeSessions.peerWorkerId))
      .where(
        and(
          eq(programmeSessions.participantId, participantId),
          eq(programmeSessions.status, 'planned'),
          gte(programmeSessions.plannedAt, from),
        ),
      )
      .orderBy(asc(programmeSessions.plannedAt));
    return rows.map((row) => ({ ...row.session, peerWorkerName: row.peerWorkerName }));
  }

  async counts(db: Db, participantId: string): Promise<SessionCounts> {
    const [row] = await db
      .select({
        attended: sql<number>`count(*) FILTER (WHERE ${programmeSessions.status} = 'attended')::int`,
        planned: sql<number>`count(*) FILTER (WHERE ${programmeSessions.status} = 'planned')::int`,
      })
      .from(programmeSessions)
      .where(eq(programmeSessions.participantId, participantId));
    return { attended: row?.attended ?? 0, planned: row?.planned ?? 0 };
  }

  /**
   * Saves what happened, only if nobody changed the session since `version` was read.
   * Returns false when the version no longer matches.
   */
  async updateOutcome(db: Db, id: string, version: number, outcome: SessionOutcome): Promise<boolean> {
    const rows = await db
      .update(programmeSessions)
      .set({ ...outcome, version: version + 1 })
      .where(and(eq(programmeSessions.id, id), eq(programmeSessions.version, version)))
      .returning({ id: programmeSessions.id });
    return rows.length === 1;
  }

  async insertRevision(db: Db, row: SessionRevisionRow): Promise<void> {
    await db.insert(programmeSessionRevisions).values(row);
  }

  async revisions(db: Db, sessionId: string): Promise<SessionRevisionRow[]> {
    return db
      .select()
      .from(programmeSessionRevisions)
      .where(eq(programmeSessionRevisions.sessionId, sessionId))
      .orderBy(asc(programmeSessionRevisions.version));
  }

  /** A session's earlier versions, newest first, with the name of who changed each. */
  async changes(db: Db, sessionId: string): Promise<(SessionRevisionRow & { changedByName: string })[]> {
    const rows = await db
      .select({ revision: programmeSessionRevisions, changedByName: staffUsers.fullName })
      .from(programmeSessionRevisions)
      .innerJoin(staffUsers, eq(staffUsers.id, programmeSessionRevisions.changedBy))
      .where(eq(programmeSessionRevisions.sessionId, sessionId))
      .orderBy(desc(programmeSessionRevisions.version));
    return rows.map((row) => ({ ...row.revision, changedByName: row.changedByName }));
  }
}
