import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { allocations, staffUsers } from '../platform/database/schema.ts';
import type { StaffRole } from '../policy/actor.ts';

export type StaffUserRow = typeof staffUsers.$inferSelect;
export type NewStaffUser = typeof staffUsers.$inferInsert;

export interface PeerWorkerLoad {
  id: string;
  fullName: string;
  crisisTeamId: string | null;
  caseloadLimit: number;
  /** Participants whose programme has not ended. */
  caseloadCount: number;
  awayFrom: string | null;
  awayUntil: string | null;
}

export class StaffRepository {
  async findById(db: Db, id: string): Promise<StaffUserRow | undefined> {
    const [row] = await db.select().from(staffUsers).where(eq(staffUsers.id, id));
    return row;
  }

  async findByEmail(db: Db, email: string): Promise<StaffUserRow | undefined> {
    const [row] = await db
      .select()
      .from(staffUsers)
      .where(sql`lower(${staffUsers.email}) = ${email.trim().toLowerCase()}`);
    return row;
  }

  async listForTrust(db: Db, trustId: string): Promise<StaffUserRow[]> {
    return db
      .select()
      .from(staffUsers)
      .where(eq(staffUsers.trustId, trustId))
      .orderBy(asc(staffUsers.fullName), asc(staffUsers.id));
  }

  async listAll(db: Db): Promise<StaffUserRow[]> {
    return db.select().from(staffUsers).orderBy(asc(staffUsers.fullName));
  }

  async insert(db: Db, row: NewStaffUser): Promise<void> {
    await db.insert(staffUsers).values(row);
  }

  /** Optimistic update: returns false when the row changed since `version` was read. */
  async update(
    db: Db,
    id: string,
    version: number,
    changes: Partial<Omit<NewStaffUser, 'id' | 'version' | 'trustId'>>,
  ): Promise<boolean> {
    const rows = await db
      .update(staffUsers)
      .set({ ...changes, version: version + 1 })
      .where(and(eq(staffUsers.id, id), eq(staffUsers.version, version)))
      .returning({ id: staffUsers.id });
    return rows.length === 1;
  }

  /**
   * Sets up the account's authenticator app with a secret a code was just confirmed from, that
   * code's step marked used. False when the account already has one (another attempt, or the
   * same form sent twice, finished first). Steps used with an earlier app do not matter: its
   * codes are no longer accepted.
   */
  async enrolTotp(db: Db, id: string, secret: string, step: number, at: Date): Promise<boolean> {
    const rows = await db
      .update(staffUsers)
      .set({ totpSecret: secret, totpEnrolledAt: at, totpLastStep: step })
      .where(and(eq(staffUsers.id, id), isNull(staffUsers.totpEnrolledAt)))
      .returning({ id: staffUsers.id });
    return rows.length === 1;
  }

  /**
   * The person's own new password, replacing the one they proved they knew (`expectedHash`):
   * false when it changed meanwhile (a coordinator's reset, say), so the reset wins. It is not
   * temporary. A password change is not an admin edit, so the record version stays.
   */
  async replacePassword(db: Db, id: string, expectedHash: string, passwordHash: string): Promise<boolean> {
    const rows = await db
      .update(staffUsers)
      .set({ passwordHash, temporaryPasswordExpiresAt: null })
      .where(and(eq(staffUsers.id, id), eq(staffUsers.passwordHash, expectedHash)))
      .returning({ id: staffUsers.id });
    return rows.length === 1;
  }

  /** The password chosen through a set-up link (the link's single use is what proves it). */
  async setPassword(db: Db, id: string, passwordHash: string): Promise<void> {
    await db
      .update(staffUsers)
      .set({ passwordHash, temporaryPasswordExpiresAt: null })
      .where(eq(staffUsers.id, id));
  }

  /** Uses a TOTP step only if it is newer than the last one used, so a code works once. */
  async claimTotpStep(db: Db, id: string, step: number): Promise<boolean> {
    const rows = await db
      .update(staffUsers)
      .set({ totpLastStep: step })
      .where(and(eq(staffUsers.id, id), sql`coalesce(${staffUsers.totpLastStep}, -1) < ${step}`))
      .returning({ id: staffUsers.id });
    return rows.length === 1;
  }

  /** How many participants are currently allocated to this worker. */
  async currentCaseloadCount(db: Db, id: string): Promise<number> {
    const [row] = await db
      .select({ count: sql<number>`count(*)::int` })
      .from(allocations)
      .where(and(eq(allocations.peerWorkerId, id), isNull(allocations.endedAt)));
    return row?.count ?? 0;
  }

  /** Workers who named this person as their supervisor go back to their team's; returns their ids. */
  async clearNamedSupervisor(db: Db, supervisorId: string): Promise<string[]> {
    const rows = await db
      .update(staffUsers)
      .set({ supervisorId: null, version: sql`${staffUsers.version} + 1` })
      .where(eq(staffUsers.supervisorId, supervisorId))
      .returning({ id: staffUsers.id });
    return rows.map((row) => row.id);
  }

  async lockForUpdate(db: Db, id: string): Promise<void> {
    await db.execute(sql`SELECT 1 FROM ${staffUsers} WHERE ${staffUsers.id} = ${id} FOR UPDATE`);
  }

  /** The trust's peer support workers with how many participants each currently has. */
  /** Marks a worker away from a day (until a day, or until further notice), or back (nulls). */
  async setAway(db: Db, id: string, awayFrom: string | null, awayUntil: string | null): Promise<void> {
    await db
      .update(staffUsers)
      .set({ awayFrom, awayUntil, version: sql`${staffUsers.version} + 1` })
      .where(eq(staffUsers.id, id));
  }

  async peerWorkerLoads(db: Db, trustId: string): Promise<PeerWorkerLoad[]> {
    const role: StaffRole = 'peer_worker';
    return db
      .select({
        id: staffUsers.id,
        fullName: staffUsers.fullName,
        crisisTeamId: staffUsers.crisisTeamId,
        caseloadLimit: staffUsers.caseloadLimit,
        caseloadCount: sql<number>`count(${allocations.id})::int`,
        awayFrom: staffUsers.awayFrom,
        awayUntil: staffUsers.awayUntil,
      })
      .from(staffUsers)
      .leftJoin(
        allocations,
        and(
          eq(allocations.peerWorkerId, staffUsers.id),
          isNull(allocations.endedAt),
          sql`NOT EXISTS (SELECT 1 FROM programme_endings e WHERE e.participant_id = ${allocations.participantId})`,
        ),
      )
      .where(
        and(
          eq(staffUsers.trustId, trustId),
          isNull(staffUsers.disabledAt),
          sql`${role} = ANY(${staffUsers.roles})`,
        ),
      )
      .groupBy(staffUsers.id)
      .orderBy(asc(staffUsers.fullName), asc(staffUsers.id));
  }
}
