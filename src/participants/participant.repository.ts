import { and, desc, eq, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { preparedStatement } from '../platform/database/prepared.ts';
import { allocations, crisisTeams, participants, staffUsers } from '../platform/database/schema.ts';

export type ParticipantRow = typeof participants.$inferSelect;
export type AllocationRow = typeof allocations.$inferSelect;
export type NewParticipant = typeof participants.$inferInsert;
export type NewAllocation = typeof allocations.$inferInsert;

/** A participant with who supports them now: what the policy needs to decide access. */
export interface ParticipantWithAllocation extends ParticipantRow {
  allocatedWorkerId: string | null;
  allocatedWorkerName: string | null;
  crisisTeamName: string;
  crisisTeamPhone: string;
}

export interface ReferralListItem {
  id: string;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  crisisTeamName: string;
  dischargedOn: string;
  referredAt: Date;
  allocatedWorkerName: string | null;
}

export interface AllocationHistoryItem {
  peerWorkerName: string;
  allocatedByName: string;
  allocatedAt: Date;
  endedAt: Date | null;
  reason: string | null;
}

const worker = sql`(SELECT ${staffUsers.fullName} FROM ${staffUsers} WHERE ${staffUsers.id} = ${allocations.peerWorkerId})`;

/** Someone waiting for a peer support worker: never allocated, or their worker is away or gone. */
export interface WaitingForWorker {
  id: string;
  givenName: string;
  familyName: string;
  preferredName: string | null;
  crisisTeamId: string;
  crisisTeamName: string;
  dischargedOn: string;
  kind: 'allocation' | 'reallocation';
  /** Since when: referral, or when a new worker was asked for (or the last one ended). */
  since: Date;
  /** The current worker, when a reallocation was asked for while they still hold the allocation. */
  currentWorkerId: string | null;
  currentWorkerName: string | null;
  reason: string | null;
}

/** The most people the waiting list reads at once: the longest waiting. */
export const WAITING_LIST_LIMIT = 1000;

/** A participant with their current worker and crisis team: the start of every page about them. */
const withAllocation = preparedStatement('participant_with_allocation', (db, name) =>
  db
    .select({
      participant: participants,
      allocatedWorkerId: allocations.peerWorkerId,
      allocatedWorkerName: sql<string | null>`${worker}`,
      crisisTeamName: crisisTeams.name,
      crisisTeamPhone: crisisTeams.phone,
    })
    .from(participants)
    .innerJoin(crisisTeams, eq(crisisTeams.id, participants.crisisTeamId))
    .leftJoin(allocations, and(eq(allocations.participantId, participants.id), isNull(allocations.endedAt)))
    .where(eq(participants.id, sql.placeholder('id')))
    .prepare(name),
);

export class ParticipantRepository {
  /**
   * Everyone in a trust waiting for a (new) worker, whose programme has not ended, longest
   * waiting first: at most `limit` of them, the longest waiting (then by id, so the same people
   * every time).
   */
  async waitingForWorker(db: Db, trustId: string, limit = WAITING_LIST_LIMIT): Promise<WaitingForWorker[]> {
    const previousEnd = sql<unknown>`(SELECT max(a2.ended_at) FROM ${allocations} a2 WHERE a2.participant_id = ${participants.id})`;
    // The same "since" as the rows below are given: a request for a new worker, else the last
    // worker's end, else the referral.
    const since = sql`CASE WHEN ${allocations.reallocationRequestedAt} IS NOT NULL THEN ${allocations.reallocationRequestedAt} ELSE coalesce(${previousEnd}, ${participants.referredAt}) END`;
    const rows = await db
      .select({
        id: participants.id,
        givenName: participants.givenName,
        familyName: participants.familyName,
        preferredName: participants.preferredName,
        crisisTeamId: participants.crisisTeamId,
        crisisTeamName: crisisTeams.name,
        dischargedOn: participants.dischargedOn,
        referredAt: participants.referredAt,
        allocationId: allocations.id,
        currentWorkerId: allocations.peerWorkerId,
        requestedAt: allocations.reallocationRequestedAt,
        reason: allocations.reallocationReason,
        currentWorkerName: sql<string | null>`${worker}`,
        previousEnd,
      })
      .from(participants)
      .innerJoin(crisisTeams, eq(crisisTeams.id, participants.crisisTeamId))
      .leftJoin(allocations, and(eq(allocations.participantId, participants.id), isNull(allocations.endedAt)))
      .where(
        and(
          eq(participants.trustId, trustId),
          sql`NOT EXISTS (SELECT 1 FROM programme_endings e WHERE e.participant_id = ${participants.id})`,
          // Trial mode: the control group, and those who withdrew from the intervention, wait for nobody.
          isNull(participants.interventionWithheld),
          sql`(${allocations.id} IS NULL OR ${allocations.reallocationRequestedAt} IS NOT NULL)`,
        ),
      )
      .orderBy(since, participants.id)
      .limit(limit);
    // In the query's order: each row's `since` below is the same expression.
    return rows.map((row): WaitingForWorker => {
      const ended =
        row.previousEnd instanceof Date || typeof row.previousEnd === 'string'
          ? new Date(row.previousEnd)
          : null;
      const base = {
        id: row.id,
        givenName: row.givenName,
        familyName: row.familyName,
        preferredName: row.preferredName,
        crisisTeamId: row.crisisTeamId,
        crisisTeamName: row.crisisTeamName,
        dischargedOn: row.dischargedOn,
      };
      if (row.allocationId && row.requestedAt) {
        return {
          ...base,
          kind: 'reallocation',
          since: row.requestedAt,
          currentWorkerId: row.currentWorkerId,
          currentWorkerName: row.currentWorkerName,
          reason: row.reason,
        };
      }
      return ended
        ? {
            ...base,
            kind: 'reallocation',
            since: ended,
            currentWorkerId: null,
            currentWorkerName: null,
            reason: 'Previous worker ended',
          }
        : {
            ...base,
            kind: 'allocation',
            since: row.referredAt,
            currentWorkerId: null,
            currentWorkerName: null,
            reason: null,
          };
    });
  }

  /** Asks for a new worker for everyone a worker currently supports (their programme not ended). */
  async requestReallocationForWorker(db: Db, workerId: string, at: Date, reason: string): Promise<string[]> {
    const rows = await db
      .update(allocations)
      .set({ reallocationRequestedAt: at, reallocationReason: reason })
      .where(
        and(
          eq(allocations.peerWorkerId, workerId),
          isNull(allocations.endedAt),
          isNull(allocations.reallocationRequestedAt),
          sql`NOT EXISTS (SELECT 1 FROM programme_endings e WHERE e.participant_id = ${allocations.participantId})`,
        ),
      )
      .returning({ participantId: allocations.participantId });
    return rows.map((row) => row.participantId);
  }

  /** Withdraws open reallocation requests on a worker's current allocations (they are back). */
  async withdrawReallocationForWorker(db: Db, workerId: string): Promise<string[]> {
    const rows = await db
      .update(allocations)
      .set({ reallocationRequestedAt: null, reallocationReason: null })
      .where(
        and(
          eq(allocations.peerWorkerId, workerId),
          isNull(allocations.endedAt),
          sql`${allocations.reallocationRequestedAt} IS NOT NULL`,
        ),
      )
      .returning({ participantId: allocations.participantId });
    return rows.map((row) => row.participantId);
  }

  async insert(db: Db, row: NewParticipant): Promise<void> {
    await db.insert(participants).values(row);
  }

  /** The most recently discharged, or those whose name contains `name` (demo sign-in list). */
  async latestDischarged(db: Db, limit: number, name?: string): Promise<ParticipantRow[]> {
    const pattern = name ? `%${name.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
    return db
      .select()
      .from(participants)
      .where(
        pattern
          ? sql`(${participants.givenName} || ' ' || ${participants.familyName}) ILIKE ${pattern}
              OR (coalesce(${participants.preferredName}, '') || ' ' || ${participants.familyName}) ILIKE ${pattern}`
          : undefined,
      )
      .orderBy(desc(participants.dischargedOn))
      .limit(limit);
  }

  async idBySubmissionToken(db: Db, token: string): Promise<string | undefined> {
    const [row] = await db
      .select({ id: participants.id })
      .from(participants)
      .where(eq(participants.submissionToken, token));
    return row?.id;
  }

  /** Read at the start of every page about a participant (`participantFor`): prepared once. */
  async findWithAllocation(db: Db, id: string): Promise<ParticipantWithAllocation | undefined> {
    const [row] = await withAllocation(db).execute({ id });
    if (!row) return undefined;
    return {
      ...row.participant,
      allocatedWorkerId: row.allocatedWorkerId,
      allocatedWorkerName: row.allocatedWorkerName,
      crisisTeamName: row.crisisTeamName,
      crisisTeamPhone: row.crisisTeamPhone,
    };
  }

  /**
   * Every participant who could sign in with this mobile or email: all of them, however old
   * their referral or ended their programme (they keep their plan). More than one means the
   * contact is shared and signs in no one.
   */
  async signInCandidates(db: Db, contact: { mobile: string } | { email: string }): Promise<string[]> {
    const rows = await db
      .select({ id: participants.id })
      .from(participants)
      .where(
        'mobile' in contact
          ? eq(participants.mobile, contact.mobile)
          : sql`lower(${participants.email}) = ${contact.email}`,
      )
      .orderBy(participants.id)
      .limit(20);
    return rows.map((row) => row.id);
  }

  /** Participants who already have this mobile or email, and which of the two each has. */
  async contactHolders(
    db: Db,
    contact: { mobile: string | null; email: string | null },
  ): Promise<{ id: string; matched: ('mobile' | 'email')[] }[]> {
    if (!contact.mobile && !contact.email) return [];
    const rows = await db
      .select({ id: participants.id, mobile: participants.mobile, email: participants.email })
      .from(participants)
      .where(
        or(
          contact.mobile ? eq(participants.mobile, contact.mobile) : undefined,
          contact.email ? sql`lower(${participants.email}) = ${contact.email}` : undefined,
        ),
      )
      .orderBy(participants.id)
      .limit(20);
    return rows.map((row) => ({
      id: row.id,
      matched: [
        ...(contact.mobile && row.mobile === contact.mobile ? (['mobile'] as const) : []),
        ...(contact.email && row.email?.toLowerCase() === contact.email ? (['email'] as const) : []),
      ],
    }));
  }

  /** Which of this participant's mobile and email someone else also has (so neither can sign in with it). */
  async sharedContacts(
    db: Db,
    participant: { id: string; mobile: string | null; email: string | null },
  ): Promise<('mobile' | 'email')[]> {
    const holders = await this.contactHolders(db, {
      mobile: participant.mobile,
      email: participant.email?.toLowerCase() ?? null,
    });
    const others = holders.filter((holder) => holder.id !== participant.id);
    return (['mobile', 'email'] as const).filter((field) => others.some((o) => o.matched.includes(field)));
  }

  /**
   * Holds, until the transaction ends, a lock on each of these contacts, so two referrals with
   * the same mobile or email cannot both find it free and both be saved.
   */
  async lockContacts(db: Db, contacts: string[]): Promise<void> {
    for (const contact of [...new Set(contacts)].sort()) {
      await db.execute(sql`SELECT pg_advisory_xact_lock(7318003, hashtext(${contact}))`);
    }
  }

  /** Referrals of one crisis team, or of the whole trust when crisisTeamId is undefined. */
  async listReferrals(
    db: Db,
    scope: { trustId: string; crisisTeamId?: string; onlyUnallocated?: boolean },
  ): Promise<ReferralListItem[]> {
    const conditions = [eq(participants.trustId, scope.trustId)];
    if (scope.crisisTeamId) conditions.push(eq(participants.crisisTeamId, scope.crisisTeamId));
    if (scope.onlyUnallocated) conditions.push(isNull(allocations.id));
    return db
      .select({
        id: participants.id,
        givenName: participants.givenName,
        familyName: participants.familyName,
        preferredName: participants.preferredName,
        crisisTeamName: crisisTeams.name,
        dischargedOn: participants.dischargedOn,
        referredAt: participants.referredAt,
        allocatedWorkerName: sql<string | null>`${worker}`,
      })
      .from(participants)
      .innerJoin(crisisTeams, eq(crisisTeams.id, participants.crisisTeamId))
      .leftJoin(allocations, and(eq(allocations.participantId, participants.id), isNull(allocations.endedAt)))
      .where(and(...conditions))
      .orderBy(desc(participants.referredAt))
      .limit(500);
  }

  async allocationHistory(db: Db, participantId: string): Promise<AllocationHistoryItem[]> {
    return db
      .select({
        peerWorkerName: sql<string>`${worker}`,
        allocatedByName: sql<string>`(SELECT ${staffUsers.fullName} FROM ${staffUsers} WHERE ${staffUsers.id} = ${allocations.allocatedBy})`,
        allocatedAt: allocations.allocatedAt,
        endedAt: allocations.endedAt,
        reason: allocations.reason,
      })
      .from(allocations)
      .where(eq(allocations.participantId, participantId))
      .orderBy(desc(allocations.allocatedAt));
  }

  /** Ends the current allocation; returns the worker it ended, if there was one. */
  async endCurrentAllocation(
    db: Db,
    participantId: string,
    endedBy: string,
    at: Date,
  ): Promise<string | undefined> {
    const [row] = await db
      .update(allocations)
      .set({ endedAt: at, endedBy })
      .where(and(eq(allocations.participantId, participantId), isNull(allocations.endedAt)))
      .returning({ peerWorkerId: allocations.peerWorkerId });
    return row?.peerWorkerId;
  }

  async insertAllocation(db: Db, row: NewAllocation): Promise<void> {
    await db.insert(allocations).values(row);
  }

  /** Locks the participant row so two allocations of one person run one after the other. */
  async lockForUpdate(db: Db, participantId: string): Promise<void> {
    await db.execute(
      sql`SELECT 1 FROM ${participants} WHERE ${participants.id} = ${participantId} FOR UPDATE`,
    );
  }
}
