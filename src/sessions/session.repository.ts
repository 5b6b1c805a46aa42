import { and, asc, desc, eq, gte, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import {
  programmeSessionRevisions,
  programmeSessions,
  sessionChangeRequests,
  staffUsers,
} from '../platform/database/schema.ts';
import { preparedStatement } from '../platform/database/prepared.ts';
import { appendCall, type SignedEvent } from '../audit/audit.repository.ts';
import { cancelScheduledReminders } from '../reminders/reminder.repository.ts';
import { resolveChangeRequests } from './change-request.repository.ts';

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

/** A session as its record form needs it: with the requests to move it that recording answers. */
export type SessionForRecording = ProgrammeSessionRow & { openChangeRequestIds: string[] };

/** Everything one save of a session's record writes, in one statement. */
export interface RecordSave {
  sessionId: string;
  /** The version read with the form: nothing is written if the session has moved on since. */
  version: number;
  outcome: SessionOutcome;
  revision: SessionRevisionRow;
  /**
   * The open requests read with it (in the order `findForRecording` gives), which the save
   * answers: nothing is written if that set changed.
   */
  changeRequestIds: string[];
  reminderReason: string;
  by: string;
  at: Date;
  audit: SignedEvent;
}

/**
 * The ids of a session's requests to move it that nobody has answered, in order, as text[]
 * (both drivers read text[] as an array; uuid[] comes back as its text).
 */
function openRequestIds(sessionId: SQL): SQL {
  return sql`coalesce((SELECT array_agg(r.id::text ORDER BY r.id) FROM ${sessionChangeRequests} r
    WHERE r.session_id = ${sessionId} AND r.resolved_at IS NULL), '{}')`;
}

const recordingStatement = preparedStatement('session_for_recording', (db, name) =>
  db
    .select({
      session: programmeSessions,
      // The outer column named in full: drizzle leaves it unqualified in a one-table select.
      openChangeRequestIds: sql<string[]>`${openRequestIds(sql.raw('programme_sessions.id'))}`,
    })
    .from(programmeSessions)
    .where(eq(programmeSessions.id, sql.placeholder('id')))
    .prepare(name),
);

export class ProgrammeSessionRepository {
  async findForRecording(db: Db, id: string): Promise<SessionForRecording | undefined> {
    const [row] = await recordingStatement(db).execute({ id });
    return row && { ...row.session, openChangeRequestIds: row.openChangeRequestIds };
  }

  /**
   * A session's record saved in one statement, which is its own transaction: the new outcome
   * (only if the version and the open requests are still those read), the revision keeping
   * what it was, its messages not yet sent cancelled, the requests to move it answered, and
   * the audit event. Each part depends on the first, so either all of it is written or, when
   * someone else saved first, none of it (false).
   */
  async saveRecord(db: Db, save: RecordSave): Promise<boolean> {
    const updated = db
      .update(programmeSessions)
      .set({ ...save.outcome, version: save.version + 1 })
      .where(
        and(
          eq(programmeSessions.id, save.sessionId),
          eq(programmeSessions.version, save.version),
          sql`${openRequestIds(sql`${save.sessionId}::uuid`)} = ${`{${save.changeRequestIds.join(',')}}`}::text[]`,
        ),
      )
      .returning({ id: programmeSessions.id });
    const saved = sql`(SELECT id FROM updated)`;
    const { revision } = save;
    // Builders are embedded with getSQL(): drizzle would put a builder itself in parentheses.
    const result: unknown = await db.execute(sql`
      WITH updated AS (${updated.getSQL()}),
      revision AS (
        INSERT INTO ${programmeSessionRevisions} (id, session_id, version, snapshot, changed_by, changed_at, why)
        SELECT ${revision.id}::uuid, id, ${revision.version}, ${JSON.stringify(revision.snapshot)}::jsonb,
               ${revision.changedBy}::uuid, ${revision.changedAt.toISOString()}::timestamptz, ${revision.why}
          FROM updated),
      reminders AS (${cancelScheduledReminders(db, saved, save.reminderReason, save.at).getSQL()}),
      requests AS (${resolveChangeRequests(db, save.changeRequestIds, saved, save.by, save.at).getSQL()}),
      audited AS (SELECT ${appendCall(save.audit)} AS seq FROM updated)
      SELECT (SELECT count(*) FROM audited)::int AS saved`);
    const [row] = (result as { rows: { saved: number }[] }).rows;
    return row?.saved === 1;
  }

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
