/** SQL for requests for support from an experienced peer worker, and their threads. */
import { and, asc, desc, eq, inArray, isNull, lte, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../platform/database/database.ts';
import { peerSupportMessages, peerSupportRequests, staffUsers } from '../platform/database/schema.ts';

export type PeerRequestRow = typeof peerSupportRequests.$inferSelect;
export type PeerMessageRow = typeof peerSupportMessages.$inferSelect;
export type PeerRequest = PeerRequestRow & { requesterName: string; takenByName: string | null };

const requester = alias(staffUsers, 'requester');
const taker = alias(staffUsers, 'taker');
const author = alias(staffUsers, 'author');

export class PeerSupportRepository {
  private named(db: Db) {
    return db
      .select({
        request: peerSupportRequests,
        requesterName: requester.fullName,
        takenByName: taker.fullName,
      })
      .from(peerSupportRequests)
      .innerJoin(requester, eq(requester.id, peerSupportRequests.requesterId))
      .leftJoin(taker, eq(taker.id, peerSupportRequests.takenBy));
  }

  private static flat(
    rows: { request: PeerRequestRow; requesterName: string; takenByName: string | null }[],
  ): PeerRequest[] {
    return rows.map((row) => ({
      ...row.request,
      requesterName: row.requesterName,
      takenByName: row.takenByName,
    }));
  }

  async insert(db: Db, row: PeerRequestRow): Promise<void> {
    await db.insert(peerSupportRequests).values(row);
  }

  async bySubmissionToken(db: Db, token: string): Promise<PeerRequestRow | undefined> {
    const [row] = await db
      .select()
      .from(peerSupportRequests)
      .where(eq(peerSupportRequests.submissionToken, token));
    return row;
  }

  async find(db: Db, id: string): Promise<PeerRequest | undefined> {
    return PeerSupportRepository.flat(await this.named(db).where(eq(peerSupportRequests.id, id)))[0];
  }

  async lock(db: Db, id: string): Promise<PeerRequestRow | undefined> {
    const [row] = await db
      .select()
      .from(peerSupportRequests)
      .where(eq(peerSupportRequests.id, id))
      .for('update');
    return row;
  }

  /** The worker's own requests, newest first. */
  async ofRequester(db: Db, requesterId: string, limit: number): Promise<PeerRequest[]> {
    return PeerSupportRepository.flat(
      await this.named(db)
        .where(eq(peerSupportRequests.requesterId, requesterId))
        .orderBy(desc(peerSupportRequests.raisedAt))
        .limit(limit),
    );
  }

  /** What an experienced worker sees: requests nobody has taken yet, and those they took and are open. */
  async forExperienced(db: Db, trustId: string, staffId: string): Promise<PeerRequest[]> {
    return PeerSupportRepository.flat(
      await this.named(db)
        .where(
          and(
            eq(peerSupportRequests.trustId, trustId),
            isNull(peerSupportRequests.closedAt),
            sql`(${peerSupportRequests.takenBy} IS NULL OR ${peerSupportRequests.takenBy} = ${staffId})`,
            sql`${peerSupportRequests.requesterId} <> ${staffId}`,
          ),
        )
        .orderBy(sql`${peerSupportRequests.neededBy} = 'this_week'`, asc(peerSupportRequests.raisedAt)),
    );
  }

  /** Open requests of these workers (a supervisor's supervisees). */
  async openOf(db: Db, requesterIds: readonly string[]): Promise<PeerRequest[]> {
    if (requesterIds.length === 0) return [];
    return PeerSupportRepository.flat(
      await this.named(db)
        .where(
          and(
            isNull(peerSupportRequests.closedAt),
            inArray(peerSupportRequests.requesterId, [...requesterIds]),
          ),
        )
        .orderBy(asc(peerSupportRequests.raisedAt)),
    );
  }

  async take(db: Db, id: string, by: string, at: Date): Promise<boolean> {
    const rows = await db
      .update(peerSupportRequests)
      .set({ takenBy: by, takenAt: at, version: sql`${peerSupportRequests.version} + 1` })
      .where(
        and(
          eq(peerSupportRequests.id, id),
          isNull(peerSupportRequests.takenBy),
          isNull(peerSupportRequests.closedAt),
        ),
      )
      .returning({ id: peerSupportRequests.id });
    return rows.length > 0;
  }

  /** Gives back the open requests a worker had taken (they left): the experienced workers may take them again. */
  async release(db: Db, takenBy: string): Promise<string[]> {
    const rows = await db
      .update(peerSupportRequests)
      .set({ takenBy: null, takenAt: null, version: sql`${peerSupportRequests.version} + 1` })
      .where(and(eq(peerSupportRequests.takenBy, takenBy), isNull(peerSupportRequests.closedAt)))
      .returning({ id: peerSupportRequests.id });
    return rows.map((row) => row.id);
  }

  async close(db: Db, id: string, by: string, at: Date): Promise<void> {
    await db
      .update(peerSupportRequests)
      .set({ closedAt: at, closedBy: by, version: sql`${peerSupportRequests.version} + 1` })
      .where(and(eq(peerSupportRequests.id, id), isNull(peerSupportRequests.closedAt)));
  }

  /** Untaken open requests raised at or before `before` with this urgency, not yet surfaced. */
  async unansweredSince(db: Db, neededBy: 'today' | 'this_week', before: Date): Promise<PeerRequestRow[]> {
    return db
      .select()
      .from(peerSupportRequests)
      .where(
        and(
          eq(peerSupportRequests.neededBy, neededBy),
          isNull(peerSupportRequests.takenBy),
          isNull(peerSupportRequests.closedAt),
          isNull(peerSupportRequests.surfacedAt),
          lte(peerSupportRequests.raisedAt, before),
        ),
      );
  }

  /** Marks a request as surfaced to the supervisors; false when another run already did. */
  async claimSurfaced(db: Db, id: string, at: Date): Promise<boolean> {
    const rows = await db
      .update(peerSupportRequests)
      .set({ surfacedAt: at })
      .where(
        and(
          eq(peerSupportRequests.id, id),
          isNull(peerSupportRequests.surfacedAt),
          isNull(peerSupportRequests.takenBy),
        ),
      )
      .returning({ id: peerSupportRequests.id });
    return rows.length > 0;
  }

  async messages(db: Db, requestId: string): Promise<(PeerMessageRow & { authorName: string })[]> {
    const rows = await db
      .select({ message: peerSupportMessages, authorName: author.fullName })
      .from(peerSupportMessages)
      .innerJoin(author, eq(author.id, peerSupportMessages.authorId))
      .where(eq(peerSupportMessages.requestId, requestId))
      .orderBy(asc(peerSupportMessages.sentAt));
    return rows.map((row) => ({ ...row.message, authorName: row.authorName }));
  }

  async addMessage(db: Db, row: PeerMessageRow): Promise<boolean> {
    const rows = await db
      .insert(peerSupportMessages)
      .values(row)
      .onConflictDoNothing({ target: peerSupportMessages.submissionToken })
      .returning({ id: peerSupportMessages.id });
    return rows.length > 0;
  }

  /** How many requests are open in the trust, and how many of them nobody has taken. */
  async openCounts(db: Db, trustId: string): Promise<{ open: number; untaken: number }> {
    const [row] = await db
      .select({
        open: sql<number>`count(*)::int`,
        untaken: sql<number>`count(*) FILTER (WHERE ${peerSupportRequests.takenBy} IS NULL)::int`,
      })
      .from(peerSupportRequests)
      .where(and(eq(peerSupportRequests.trustId, trustId), isNull(peerSupportRequests.closedAt)));
    return { open: row?.open ?? 0, untaken: row?.untaken ?? 0 };
  }

  /** The trust's active experienced peer workers (ids and emails). */
  async experienced(db: Db, trustId: string): Promise<{ id: string; email: string }[]> {
    return db
      .select({ id: staffUsers.id, email: staffUsers.email })
      .from(staffUsers)
      .where(
        and(
          eq(staffUsers.trustId, trustId),
          eq(staffUsers.experiencedPeer, true),
          isNull(staffUsers.disabledAt),
          sql`'peer_worker' = ANY(${staffUsers.roles})`,
        ),
      )
      .orderBy(asc(staffUsers.email));
  }

  /** An active peer support worker of this trust, if that is who this is. */
  async peerWorkerInTrust(
    db: Db,
    staffId: string,
    trustId: string,
  ): Promise<{ id: string; trustId: string } | undefined> {
    const [row] = await db
      .select({ id: staffUsers.id, trustId: staffUsers.trustId })
      .from(staffUsers)
      .where(
        and(
          eq(staffUsers.id, staffId),
          eq(staffUsers.trustId, trustId),
          isNull(staffUsers.disabledAt),
          sql`'peer_worker' = ANY(${staffUsers.roles})`,
        ),
      );
    return row;
  }

  async isExperienced(db: Db, staffId: string): Promise<boolean> {
    const [row] = await db
      .select({ experienced: staffUsers.experiencedPeer })
      .from(staffUsers)
      .where(eq(staffUsers.id, staffId));
    return row?.experienced ?? false;
  }

  async setExperienced(db: Db, staffId: string, experienced: boolean): Promise<void> {
    await db
      .update(staffUsers)
      .set({ experiencedPeer: experienced, version: sql`${staffUsers.version} + 1` })
      .where(eq(staffUsers.id, staffId));
  }
}
