import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { crisisTeams, trusts } from '../platform/database/schema.ts';

export type CrisisTeamRow = typeof crisisTeams.$inferSelect;
export type TrustRow = typeof trusts.$inferSelect;

export class TeamRepository {
  async trust(db: Db, id: string): Promise<TrustRow | undefined> {
    const [row] = await db.select().from(trusts).where(eq(trusts.id, id));
    return row;
  }

  async insertTrust(db: Db, row: typeof trusts.$inferInsert): Promise<void> {
    await db.insert(trusts).values(row);
  }

  async listForTrust(db: Db, trustId: string): Promise<CrisisTeamRow[]> {
    return db
      .select()
      .from(crisisTeams)
      .where(eq(crisisTeams.trustId, trustId))
      .orderBy(asc(crisisTeams.name));
  }

  async findById(db: Db, id: string): Promise<CrisisTeamRow | undefined> {
    const [row] = await db.select().from(crisisTeams).where(eq(crisisTeams.id, id));
    return row;
  }

  /** The trust's team with this name, ignoring case and surrounding spaces. */
  async findByName(db: Db, trustId: string, name: string): Promise<CrisisTeamRow | undefined> {
    const [row] = await db
      .select()
      .from(crisisTeams)
      .where(
        and(eq(crisisTeams.trustId, trustId), sql`lower(${crisisTeams.name}) = ${name.trim().toLowerCase()}`),
      );
    return row;
  }

  async insert(db: Db, row: typeof crisisTeams.$inferInsert): Promise<void> {
    await db.insert(crisisTeams).values(row);
  }

  async update(
    db: Db,
    id: string,
    version: number,
    changes: { name: string; phone: string; dutyEmail: string | null },
  ): Promise<boolean> {
    const rows = await db
      .update(crisisTeams)
      .set({ ...changes, version: version + 1 })
      .where(and(eq(crisisTeams.id, id), eq(crisisTeams.version, version)))
      .returning({ id: crisisTeams.id });
    return rows.length === 1;
  }
}
