import { and, asc, eq, inArray, isNull, type SQL } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { programmeSessions, sessionChangeRequests } from '../platform/database/schema.ts';

export type ChangeRequestRow = typeof sessionChangeRequests.$inferSelect;

export interface OpenChangeRequest extends ChangeRequestRow {
  plannedAt: Date;
}

/**
 * Marks the given open requests about these sessions dealt with: the update, not yet run, so a
 * session's record can make it part of its one statement.
 */
export function resolveChangeRequests(db: Db, ids: string[], sessionIds: SQL, by: string, at: Date) {
  return db
    .update(sessionChangeRequests)
    .set({ resolvedAt: at, resolvedBy: by })
    .where(
      and(
        isNull(sessionChangeRequests.resolvedAt),
        inArray(sessionChangeRequests.id, ids),
        inArray(sessionChangeRequests.sessionId, sessionIds),
      ),
    );
}

export class ChangeRequestRepository {
  async insert(db: Db, row: ChangeRequestRow): Promise<void> {
    await db.insert(sessionChangeRequests).values(row);
  }

  async bySubmissionToken(db: Db, token: string): Promise<ChangeRequestRow | undefined> {
    const [row] = await db
      .select()
      .from(sessionChangeRequests)
      .where(eq(sessionChangeRequests.submissionToken, token));
    return row;
  }

  /** A participant's requests nobody has dealt with yet, with the time of the session, soonest first. */
  async openForParticipant(db: Db, participantId: string): Promise<OpenChangeRequest[]> {
    const rows = await db
      .select({ request: sessionChangeRequests, plannedAt: programmeSessions.plannedAt })
      .from(sessionChangeRequests)
      .innerJoin(programmeSessions, eq(programmeSessions.id, sessionChangeRequests.sessionId))
      .where(
        and(eq(sessionChangeRequests.participantId, participantId), isNull(sessionChangeRequests.resolvedAt)),
      )
      .orderBy(asc(programmeSessions.plannedAt));
    return rows.map((row) => ({ ...row.request, plannedAt: row.plannedAt }));
  }

  /** Marks open requests dealt with: one, or every one about a session. Returns the ids closed. */
  async resolve(
    db: Db,
    where: { id: string; participantId: string } | { sessionId: string },
    by: string,
    at: Date,
  ): Promise<string[]> {
    const rows = await db
      .update(sessionChangeRequests)
      .set({ resolvedAt: at, resolvedBy: by })
      .where(
        and(
          isNull(sessionChangeRequests.resolvedAt),
          'id' in where
            ? and(
                eq(sessionChangeRequests.id, where.id),
                eq(sessionChangeRequests.participantId, where.participantId),
              )
            : eq(sessionChangeRequests.sessionId, where.sessionId),
        ),
      )
      .returning({ id: sessionChangeRequests.id });
    return rows.map((row) => row.id);
  }
}
