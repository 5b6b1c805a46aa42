import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { staffSetUpLinks } from '../platform/database/schema.ts';

export type SetUpLinkRow = typeof staffSetUpLinks.$inferSelect;

const open = (at: Date) =>
  and(isNull(staffSetUpLinks.usedAt), isNull(staffSetUpLinks.revokedAt), gt(staffSetUpLinks.expiresAt, at));

export class SetUpLinkRepository {
  async insert(db: Db, row: SetUpLinkRow): Promise<void> {
    await db.insert(staffSetUpLinks).values(row);
  }

  async findByTokenHash(db: Db, tokenHash: string): Promise<SetUpLinkRow | undefined> {
    const [row] = await db.select().from(staffSetUpLinks).where(eq(staffSetUpLinks.tokenHash, tokenHash));
    return row;
  }

  /** Uses the link if it is still open at `at`: true for the one request that does. */
  async claim(db: Db, id: string, at: Date): Promise<boolean> {
    const rows = await db
      .update(staffSetUpLinks)
      .set({ usedAt: at })
      .where(and(eq(staffSetUpLinks.id, id), open(at)))
      .returning({ id: staffSetUpLinks.id });
    return rows.length === 1;
  }

  /** Stops every link of the person that has not been used (a newer one replaces them). */
  async revokeUnusedFor(db: Db, staffId: string, at: Date): Promise<void> {
    await db
      .update(staffSetUpLinks)
      .set({ revokedAt: at })
      .where(
        and(
          eq(staffSetUpLinks.staffId, staffId),
          isNull(staffSetUpLinks.usedAt),
          isNull(staffSetUpLinks.revokedAt),
        ),
      );
  }

  /** The person's newest link that still works at `at`, if any. */
  async latestOpenFor(db: Db, staffId: string, at: Date): Promise<SetUpLinkRow | undefined> {
    const [row] = await db
      .select()
      .from(staffSetUpLinks)
      .where(and(eq(staffSetUpLinks.staffId, staffId), open(at)))
      .orderBy(desc(staffSetUpLinks.createdAt))
      .limit(1);
    return row;
  }
}
