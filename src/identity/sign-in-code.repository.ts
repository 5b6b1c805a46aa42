import { and, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { participantSignInCodes } from '../platform/database/schema.ts';

export type SignInCodeRow = typeof participantSignInCodes.$inferSelect;

/**
 * The one-time codes participants sign in with, filed under the digest of the contact they were
 * sent to; only their hashes are stored. Every statement here is the same whether or not the
 * contact belongs to anyone, so checking a code takes the same work for every number.
 */
export class SignInCodeRepository {
  async insert(db: Db, row: SignInCodeRow): Promise<void> {
    await db.insert(participantSignInCodes).values(row);
  }

  /** The contact's codes that are unused, unexpired at `now` and not tried too often: any of them works. */
  async live(db: Db, contactHash: string, now: Date, maxAttempts: number): Promise<SignInCodeRow[]> {
    return db
      .select()
      .from(participantSignInCodes)
      .where(
        and(
          eq(participantSignInCodes.contactHash, contactHash),
          isNull(participantSignInCodes.usedAt),
          gt(participantSignInCodes.expiresAt, now),
          lt(participantSignInCodes.attempts, maxAttempts),
        ),
      )
      .orderBy(desc(participantSignInCodes.createdAt))
      .limit(20);
  }

  /** A wrong code counts against every live code of the contact. */
  async recordFailedAttempt(db: Db, contactHash: string, now: Date): Promise<void> {
    await db
      .update(participantSignInCodes)
      .set({ attempts: sql`${participantSignInCodes.attempts} + 1` })
      .where(
        and(
          eq(participantSignInCodes.contactHash, contactHash),
          isNull(participantSignInCodes.usedAt),
          gt(participantSignInCodes.expiresAt, now),
        ),
      );
  }

  /** Once one code is used, the contact's other live codes are spent with it. */
  async spendLive(db: Db, contactHash: string, now: Date): Promise<void> {
    await db
      .update(participantSignInCodes)
      .set({ usedAt: now })
      .where(
        and(
          eq(participantSignInCodes.contactHash, contactHash),
          isNull(participantSignInCodes.usedAt),
          gt(participantSignInCodes.expiresAt, now),
        ),
      );
  }

  /** Deletes up to `limit` codes (used or not) that expired before `before`; how many. */
  async deleteExpired(db: Db, before: Date, limit: number): Promise<number> {
    const due = db
      .select({ id: participantSignInCodes.id })
      .from(participantSignInCodes)
      .where(lt(participantSignInCodes.expiresAt, before))
      .limit(limit);
    const deleted = await db
      .delete(participantSignInCodes)
      .where(inArray(participantSignInCodes.id, due))
      .returning({ id: participantSignInCodes.id });
    return deleted.length;
  }
}
