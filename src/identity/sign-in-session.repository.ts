import { and, eq, inArray, isNull, lt, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { preparedStatement } from '../platform/database/prepared.ts';
import { participants, staffUsers, userSessions } from '../platform/database/schema.ts';

export type UserSessionRow = typeof userSessions.$inferSelect;

/** A session with just enough of its person to decide access, read in one round trip. */
export interface SignInSessionWithSubject extends UserSessionRow {
  staff: {
    trustId: string;
    crisisTeamId: string | null;
    roles: string[];
    fullName: string;
    disabledAt: Date | null;
    caseloadVersion: number;
  } | null;
  participant: {
    trustId: string;
    crisisTeamId: string;
    givenName: string;
    preferredName: string | null;
  } | null;
}

/** Runs on every request: prepared once, planned once. */
const withSubject = preparedStatement('sign_in_session_with_subject', (db, name) =>
  db
    .select({
      session: userSessions,
      staff: {
        trustId: staffUsers.trustId,
        crisisTeamId: staffUsers.crisisTeamId,
        roles: staffUsers.roles,
        fullName: staffUsers.fullName,
        disabledAt: staffUsers.disabledAt,
        caseloadVersion: staffUsers.caseloadVersion,
      },
      participant: {
        trustId: participants.trustId,
        crisisTeamId: participants.crisisTeamId,
        givenName: participants.givenName,
        preferredName: participants.preferredName,
      },
    })
    .from(userSessions)
    .leftJoin(
      staffUsers,
      and(eq(userSessions.subjectType, 'staff'), eq(staffUsers.id, userSessions.subjectId)),
    )
    .leftJoin(
      participants,
      and(eq(userSessions.subjectType, 'participant'), eq(participants.id, userSessions.subjectId)),
    )
    .where(eq(userSessions.idHash, sql.placeholder('idHash')))
    .prepare(name),
);

export class SignInSessionRepository {
  async insert(db: Db, row: UserSessionRow): Promise<void> {
    await db.insert(userSessions).values(row);
  }

  async findWithSubject(db: Db, idHash: string): Promise<SignInSessionWithSubject | undefined> {
    const [row] = await withSubject(db).execute({ idHash });
    return row ? { ...row.session, staff: row.staff, participant: row.participant } : undefined;
  }

  async touch(db: Db, idHash: string, at: Date): Promise<void> {
    await db.update(userSessions).set({ lastSeenAt: at }).where(eq(userSessions.idHash, idHash));
  }

  // An ended session no longer needs the authenticator secret it may have been offered.
  async end(db: Db, idHash: string, at: Date): Promise<void> {
    await db
      .update(userSessions)
      .set({ endedAt: at, pendingTotpSecret: null })
      .where(and(eq(userSessions.idHash, idHash), isNull(userSessions.endedAt)));
  }

  /** Ends the person's live sessions, all of them or all but `exceptIdHash`; returns how many. */
  async endAllFor(
    db: Db,
    subjectType: 'staff' | 'participant',
    subjectId: string,
    at: Date,
    exceptIdHash?: string,
  ): Promise<number> {
    const ended = await db
      .update(userSessions)
      .set({ endedAt: at, pendingTotpSecret: null })
      .where(
        and(
          eq(userSessions.subjectType, subjectType),
          eq(userSessions.subjectId, subjectId),
          isNull(userSessions.endedAt),
          exceptIdHash === undefined ? undefined : ne(userSessions.idHash, exceptIdHash),
        ),
      )
      .returning({ idHash: userSessions.idHash });
    return ended.length;
  }

  /** Keeps the first secret offered to a live session; returns whichever it holds (none once ended). */
  async offerTotpSecret(db: Db, idHash: string, candidate: string): Promise<string | undefined> {
    const [row] = await db
      .update(userSessions)
      .set({ pendingTotpSecret: sql`coalesce(${userSessions.pendingTotpSecret}, ${candidate})` })
      .where(and(eq(userSessions.idHash, idHash), isNull(userSessions.endedAt)))
      .returning({ secret: userSessions.pendingTotpSecret });
    return row?.secret ?? undefined;
  }

  /** Deletes up to `limit` sessions that ended or expired before `before`; how many. */
  async deleteEndedBefore(db: Db, before: Date, limit: number): Promise<number> {
    const due = db
      .select({ idHash: userSessions.idHash })
      .from(userSessions)
      .where(or(lt(userSessions.absoluteExpiresAt, before), lt(userSessions.endedAt, before)))
      .limit(limit);
    const deleted = await db
      .delete(userSessions)
      .where(inArray(userSessions.idHash, due))
      .returning({ idHash: userSessions.idHash });
    return deleted.length;
  }
}
