/** SQL for workers' private requests for support. */
import { and, count, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../platform/database/database.ts';
import { crisisTeams, staffUsers, wellbeingRequests } from '../platform/database/schema.ts';

export type WellbeingRow = typeof wellbeingRequests.$inferSelect;
export type WellbeingWithNames = WellbeingRow & { workerName: string; acknowledgedByName: string | null };

const worker = alias(staffUsers, 'worker');
const acknowledger = alias(staffUsers, 'acknowledger');

export class WellbeingRepository {
  async insert(db: Db, row: WellbeingRow): Promise<void> {
    await db.insert(wellbeingRequests).values(row);
  }

  async bySubmissionToken(db: Db, token: string): Promise<WellbeingRow | undefined> {
    const [row] = await db
      .select()
      .from(wellbeingRequests)
      .where(eq(wellbeingRequests.submissionToken, token));
    return row;
  }

  private withNames(db: Db) {
    return db
      .select({
        request: wellbeingRequests,
        workerName: worker.fullName,
        acknowledgedByName: acknowledger.fullName,
      })
      .from(wellbeingRequests)
      .innerJoin(worker, eq(worker.id, wellbeingRequests.staffId))
      .leftJoin(acknowledger, eq(acknowledger.id, wellbeingRequests.acknowledgedBy));
  }

  /** A worker's own requests, newest first. */
  async ofWorker(db: Db, staffId: string, limit: number): Promise<WellbeingWithNames[]> {
    const rows = await this.withNames(db)
      .where(eq(wellbeingRequests.staffId, staffId))
      .orderBy(desc(wellbeingRequests.raisedAt))
      .limit(limit);
    return rows.map((row) => ({
      ...row.request,
      workerName: row.workerName,
      acknowledgedByName: row.acknowledgedByName,
    }));
  }

  /** Requests sent to this supervisor: open ones first, then the acknowledged since `since`. */
  async sentTo(db: Db, supervisorId: string, since: Date): Promise<WellbeingWithNames[]> {
    const rows = await this.withNames(db)
      .where(
        and(
          sql`${supervisorId} = ANY(${wellbeingRequests.supervisorIds})`,
          sql`(${wellbeingRequests.acknowledgedAt} IS NULL OR ${wellbeingRequests.raisedAt} >= ${since})`,
        ),
      )
      .orderBy(sql`${wellbeingRequests.acknowledgedAt} IS NOT NULL`, desc(wellbeingRequests.raisedAt));
    return rows.map((row) => ({
      ...row.request,
      workerName: row.workerName,
      acknowledgedByName: row.acknowledgedByName,
    }));
  }

  /**
   * Open requests in the trust that none of their supervisors can see any more (each since
   * disabled, or no longer a supervisor): the worker's supervisors of now take them over.
   */
  async orphanedOpen(db: Db, trustId: string): Promise<WellbeingWithNames[]> {
    const rows = await this.withNames(db)
      .where(
        and(
          eq(wellbeingRequests.trustId, trustId),
          isNull(wellbeingRequests.acknowledgedAt),
          sql`NOT EXISTS (SELECT 1 FROM staff_users s WHERE s.id = ANY(${wellbeingRequests.supervisorIds}) AND s.disabled_at IS NULL AND 'supervisor' = ANY(s.roles))`,
        ),
      )
      .orderBy(desc(wellbeingRequests.raisedAt));
    return rows.map((row) => ({
      ...row.request,
      workerName: row.workerName,
      acknowledgedByName: row.acknowledgedByName,
    }));
  }

  /** Which of these are active supervisors now. */
  async activeSupervisors(db: Db, ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await db
      .select({ id: staffUsers.id })
      .from(staffUsers)
      .where(
        and(
          inArray(staffUsers.id, [...ids]),
          isNull(staffUsers.disabledAt),
          sql`'supervisor' = ANY(${staffUsers.roles})`,
        ),
      );
    return rows.map((row) => row.id);
  }

  async lock(db: Db, id: string): Promise<WellbeingRow | undefined> {
    const [row] = await db.select().from(wellbeingRequests).where(eq(wellbeingRequests.id, id)).for('update');
    return row;
  }

  async acknowledge(db: Db, id: string, by: string, at: Date): Promise<void> {
    await db
      .update(wellbeingRequests)
      .set({ acknowledgedAt: at, acknowledgedBy: by })
      .where(and(eq(wellbeingRequests.id, id), isNull(wellbeingRequests.acknowledgedAt)));
  }

  /** Per team since `since`: how many asked, how many are still open. Never who. */
  async countsByTeam(
    db: Db,
    trustId: string,
    since: Date,
  ): Promise<{ teamName: string | null; requests: number; open: number }[]> {
    return db
      .select({
        teamName: crisisTeams.name,
        requests: count(),
        open: sql<number>`count(*) FILTER (WHERE ${wellbeingRequests.acknowledgedAt} IS NULL)::int`,
      })
      .from(wellbeingRequests)
      .leftJoin(crisisTeams, eq(crisisTeams.id, wellbeingRequests.crisisTeamId))
      .where(and(eq(wellbeingRequests.trustId, trustId), gte(wellbeingRequests.raisedAt, since)))
      .groupBy(crisisTeams.name)
      .orderBy(crisisTeams.name);
  }
}
