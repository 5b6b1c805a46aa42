import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { participantSignInCodes } from '../platform/database/schema.ts';

export type SignInCodeRow = typeof participantSignInCodes.$inferSelect;

/** The one-time codes participants sign in with; only their hashes are stored. */
export class SignInCodeRepository {
  async insert(db: Db, row: SignInCodeRow): Promise<void> {
    await db.insert(participantSignInCodes).values(row);
  }

  /** The participant's newest code that is unused and unexpired at `now`: the only one that can work. */
  async latestLive(db: Db, participantId: string, now: Date): Promise<SignInCodeRow | undefined> {
    const [row] = await db
      .select()
      .from(participantSignInCodes)
      .where(
        and(
          eq(participantSignInCodes.participantId, participantId),
          isNull(participantSignInCodes.usedAt),
          gt(participantSignInCodes.expiresAt, now),
        ),
      )
      .orderBy(desc(participantSignInCodes.createdAt))
      .limit(1);
    return row;
  }

  async recordFailedAttempt(db: Db, id: string): Promise<void> {
    await db
      .update(participantSignInCodes)
      .set({ attempts: sql`${participantSignInCodes.attempts} + 1` })
      .where(eq(participantSignInCodes.id, id));
  }

  async markUsed(db: Db, id: string, at: Date): Promise<void> {
    await db.update(participantSignInCodes).set({ usedAt: at }).where(eq(participantSignInCodes.id, id));
  }

  async deleteExpired(db: Db, before: Date): Promise<void> {
    await db.delete(participantSignInCodes).where(lt(participantSignInCodes.expiresAt, before));
  }
}
