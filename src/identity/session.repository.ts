import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { userSessions } from '../platform/database/schema.ts';

export type UserSessionRow = typeof userSessions.$inferSelect;

export class SessionRepository {
  async insert(db: Db, row: UserSessionRow): Promise<void> {
    await db.insert(userSessions).values(row);
  }

  async find(db: Db, idHash: string): Promise<UserSessionRow | undefined> {
    const [row] = await db.select().from(userSessions).where(eq(userSessions.idHash, idHash));
    return row;
  }

  async touch(db: Db, idHash: string, at: Date): Promise<void> {
    await db.update(userSessions).set({ lastSeenAt: at }).where(eq(userSessions.idHash, idHash));
  }

  async end(db: Db, idHash: string, at: Date): Promise<void> {
    await db
      .update(userSessions)
      .set({ endedAt: at })
      .where(and(eq(userSessions.idHash, idHash), isNull(userSessions.endedAt)));
  }

  async endAllFor(
    db: Db,
    subjectType: 'staff' | 'participant',
    subjectId: string,
    at: Date,
  ): Promise<number> {
    const ended = await db
      .update(userSessions)
      .set({ endedAt: at })
      .where(
        and(
          eq(userSessions.subjectType, subjectType),
          eq(userSessions.subjectId, subjectId),
          isNull(userSessions.endedAt),
        ),
      )
      .returning({ idHash: userSessions.idHash });
    return ended.length;
  }

  /** Deletes sessions that ended or expired before `before`. */
  async purgeExpired(db: Db, before: Date): Promise<void> {
    await db
      .delete(userSessions)
      .where(or(lt(userSessions.absoluteExpiresAt, before), lt(userSessions.endedAt, before)));
  }
}
