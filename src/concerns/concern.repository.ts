import { and, asc, desc, eq, gt, gte, inArray, isNull, ne, or, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import {
  participants,
  safetyConcernMessages,
  safetyConcernReads,
  safetyConcerns,
  staffUsers,
} from '../platform/database/schema.ts';

export type ConcernRow = typeof safetyConcerns.$inferSelect;
export type NewConcern = typeof safetyConcerns.$inferInsert;
export type ConcernMessageRow = typeof safetyConcernMessages.$inferSelect;
export type ConcernStatus = ConcernRow['status'];

/** A concern with the names a page shows beside it. */
export interface ConcernListRow extends ConcernRow {
  raisedByName: string;
  participantGivenName: string;
  participantFamilyName: string;
  participantPreferredName: string | null;
  trustId: string;
}

const listColumns = {
  concern: safetyConcerns,
  raisedByName: staffUsers.fullName,
  participantGivenName: participants.givenName,
  participantFamilyName: participants.familyName,
  participantPreferredName: participants.preferredName,
  trustId: participants.trustId,
};

interface JoinedRow {
  concern: ConcernRow;
  raisedByName: string;
  participantGivenName: string;
  participantFamilyName: string;
  participantPreferredName: string | null;
  trustId: string;
}
const flatten = ({ concern, ...names }: JoinedRow): ConcernListRow => ({ ...concern, ...names });

export class ConcernRepository {
  async insert(db: Db, row: NewConcern): Promise<void> {
    await db.insert(safetyConcerns).values(row);
  }

  async findBySubmissionToken(db: Db, token: string): Promise<ConcernRow | undefined> {
    const [row] = await db.select().from(safetyConcerns).where(eq(safetyConcerns.submissionToken, token));
    return row;
  }

  private joined(db: Db) {
    return db
      .select(listColumns)
      .from(safetyConcerns)
      .innerJoin(staffUsers, eq(staffUsers.id, safetyConcerns.raisedBy))
      .innerJoin(participants, eq(participants.id, safetyConcerns.participantId));
  }

  async findById(db: Db, id: string): Promise<ConcernListRow | undefined> {
    const [row] = await this.joined(db).where(eq(safetyConcerns.id, id));
    return row ? flatten(row) : undefined;
  }

  /** A team's open and acknowledged items, and those closed since `closedSince`. */
  async listForTeam(db: Db, crisisTeamId: string, closedSince: Date): Promise<ConcernListRow[]> {
    const rows = await this.joined(db)
      .where(
        and(
          eq(safetyConcerns.crisisTeamId, crisisTeamId),
          or(
            inArray(safetyConcerns.status, ['open', 'acknowledged']),
            gte(safetyConcerns.closedAt, closedSince),
          ),
        ),
      )
      .orderBy(asc(safetyConcerns.acknowledgeBy));
    return rows.map(flatten);
  }

  async listRaisedBy(db: Db, staffId: string): Promise<ConcernListRow[]> {
    const rows = await this.joined(db)
      .where(eq(safetyConcerns.raisedBy, staffId))
      .orderBy(desc(safetyConcerns.raisedAt));
    return rows.map(flatten);
  }

  async listForParticipant(db: Db, participantId: string): Promise<ConcernListRow[]> {
    const rows = await this.joined(db)
      .where(eq(safetyConcerns.participantId, participantId))
      .orderBy(desc(safetyConcerns.raisedAt));
    return rows.map(flatten);
  }

  /** Records when the raiser confirmed calling 999; false when it was already recorded. */
  async confirm999(db: Db, id: string, at: Date): Promise<boolean> {
    const rows = await db
      .update(safetyConcerns)
      .set({ called999At: at })
      .where(and(eq(safetyConcerns.id, id), isNull(safetyConcerns.called999At)))
      .returning({ id: safetyConcerns.id });
    return rows.length === 1;
  }

  /** Open → acknowledged, only from the version the clinician saw; false when it had changed. */
  async acknowledge(db: Db, id: string, version: number, by: string, at: Date): Promise<boolean> {
    const rows = await db
      .update(safetyConcerns)
      .set({
        status: 'acknowledged',
        acknowledgedBy: by,
        acknowledgedAt: at,
        version: sql`${safetyConcerns.version} + 1`,
      })
      .where(
        and(
          eq(safetyConcerns.id, id),
          eq(safetyConcerns.version, version),
          eq(safetyConcerns.status, 'open'),
        ),
      )
      .returning({ id: safetyConcerns.id });
    return rows.length === 1;
  }

  /** Records the action and closes; an open item is acknowledged at the same moment. */
  async close(
    db: Db,
    id: string,
    version: number,
    change: { by: string; at: Date; action: NonNullable<ConcernRow['action']>; note: string | null },
  ): Promise<boolean> {
    const rows = await db
      .update(safetyConcerns)
      .set({
        status: 'closed',
        acknowledgedBy: sql`coalesce(${safetyConcerns.acknowledgedBy}, ${change.by}::uuid)`,
        acknowledgedAt: sql`coalesce(${safetyConcerns.acknowledgedAt}, ${change.at.toISOString()}::timestamptz)`,
        action: change.action,
        actionNote: change.note,
        closedBy: change.by,
        closedAt: change.at,
        version: sql`${safetyConcerns.version} + 1`,
      })
      .where(
        and(
          eq(safetyConcerns.id, id),
          eq(safetyConcerns.version, version),
          inArray(safetyConcerns.status, ['open', 'acknowledged']),
        ),
      )
      .returning({ id: safetyConcerns.id });
    return rows.length === 1;
  }

  async messages(db: Db, concernId: string): Promise<(ConcernMessageRow & { writtenByName: string })[]> {
    const rows = await db
      .select({ message: safetyConcernMessages, writtenByName: staffUsers.fullName })
      .from(safetyConcernMessages)
      .innerJoin(staffUsers, eq(staffUsers.id, safetyConcernMessages.writtenBy))
      .where(eq(safetyConcernMessages.concernId, concernId))
      .orderBy(asc(safetyConcernMessages.writtenAt));
    return rows.map((row) => ({ ...row.message, writtenByName: row.writtenByName }));
  }

  async messageBySubmissionToken(db: Db, token: string): Promise<ConcernMessageRow | undefined> {
    const [row] = await db
      .select()
      .from(safetyConcernMessages)
      .where(eq(safetyConcernMessages.submissionToken, token));
    return row;
  }

  async insertMessage(db: Db, row: typeof safetyConcernMessages.$inferInsert): Promise<void> {
    await db.insert(safetyConcernMessages).values(row);
  }

  /** When `readerId` last opened the concern, if ever. */
  async lastRead(db: Db, concernId: string, readerId: string): Promise<Date | undefined> {
    const [row] = await db
      .select({ readAt: safetyConcernReads.readAt })
      .from(safetyConcernReads)
      .where(and(eq(safetyConcernReads.concernId, concernId), eq(safetyConcernReads.readerId, readerId)));
    return row?.readAt;
  }

  async markRead(db: Db, concernId: string, readerId: string, at: Date): Promise<void> {
    await db
      .insert(safetyConcernReads)
      .values({ concernId, readerId, readAt: at })
      .onConflictDoUpdate({
        target: [safetyConcernReads.concernId, safetyConcernReads.readerId],
        set: { readAt: sql`greatest(${safetyConcernReads.readAt}, excluded.read_at)` },
      });
  }

  /** Of the concerns `raisedBy` raised, those with a message from someone else since they last opened it. */
  async withUnreadReplies(db: Db, raisedBy: string): Promise<Set<string>> {
    const rows = await db
      .selectDistinct({ id: safetyConcerns.id })
      .from(safetyConcerns)
      .innerJoin(safetyConcernMessages, eq(safetyConcernMessages.concernId, safetyConcerns.id))
      .leftJoin(
        safetyConcernReads,
        and(
          eq(safetyConcernReads.concernId, safetyConcerns.id),
          eq(safetyConcernReads.readerId, safetyConcerns.raisedBy),
        ),
      )
      .where(
        and(
          eq(safetyConcerns.raisedBy, raisedBy),
          ne(safetyConcernMessages.writtenBy, raisedBy),
          or(
            isNull(safetyConcernReads.readAt),
            gt(safetyConcernMessages.writtenAt, safetyConcernReads.readAt),
          ),
        ),
      );
    return new Set(rows.map((row) => row.id));
  }

  /** A staff member's email and name, for telling them about a reply. */
  async staffContact(db: Db, staffId: string): Promise<{ email: string; fullName: string } | undefined> {
    const [row] = await db
      .select({ email: staffUsers.email, fullName: staffUsers.fullName })
      .from(staffUsers)
      .where(eq(staffUsers.id, staffId));
    return row;
  }

  async staffName(db: Db, staffId: string): Promise<string | undefined> {
    const [row] = await db
      .select({ name: staffUsers.fullName })
      .from(staffUsers)
      .where(eq(staffUsers.id, staffId));
    return row?.name;
  }
}
