/**
 * message_outbox: the messages Greenleaf has decided to send, until they are sent or given up.
 * Rows are inserted in the deciding transaction; the dispatcher claims one at a time (FOR
 * UPDATE SKIP LOCKED, so instances never wait on each other) and holds it by a lease. Times
 * come from the application's clock, never the database's now().
 */
import { and, desc, eq, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import type { Db } from '../database/database.ts';
import { messageOutbox } from '../database/schema.ts';

export type OutboxRow = typeof messageOutbox.$inferSelect;
export type NewOutboxRow = typeof messageOutbox.$inferInsert;

export class MessageOutboxRepository {
  /** Inserts unless this source already enqueued a message to this recipient. True when inserted. */
  async insertOnce(db: Db, row: NewOutboxRow): Promise<boolean> {
    const inserted = await db
      .insert(messageOutbox)
      .values(row)
      .onConflictDoNothing({
        target: [messageOutbox.sourceKind, messageOutbox.sourceId, messageOutbox.recipient],
      })
      .returning({ id: messageOutbox.id });
    return inserted.length > 0;
  }

  /**
   * Claims the next message due by `now`: queued and due, or 'sending' with its lease run out
   * (its sender stopped mid-send). Marks it 'sending' until `leaseUntil` and counts the attempt.
   * Returns the row as it was before the claim, so the caller knows whether it was interrupted.
   */
  async claimNext(tx: Db, now: Date, leaseUntil: Date): Promise<OutboxRow | undefined> {
    const [due] = await tx
      .select()
      .from(messageOutbox)
      .where(
        or(
          and(eq(messageOutbox.state, 'queued'), lte(messageOutbox.nextAttemptAt, now)),
          and(eq(messageOutbox.state, 'sending'), lte(messageOutbox.leaseUntil, now)),
        ),
      )
      .orderBy(messageOutbox.nextAttemptAt)
      .limit(1)
      .for('update', { skipLocked: true });
    if (!due) return undefined;
    await tx
      .update(messageOutbox)
      .set({ state: 'sending', leaseUntil, attempts: due.attempts + 1 })
      .where(eq(messageOutbox.id, due.id));
    return due;
  }

  /** Ends this holder's claim, unless its lease was taken over by another sender meanwhile. */
  async finish(db: Db, id: string, attempts: number, changes: Partial<NewOutboxRow>): Promise<boolean> {
    const updated = await db
      .update(messageOutbox)
      .set(changes)
      .where(
        and(
          eq(messageOutbox.id, id),
          eq(messageOutbox.state, 'sending'),
          eq(messageOutbox.attempts, attempts),
        ),
      )
      .returning({ id: messageOutbox.id });
    return updated.length > 0;
  }

  async clearText(db: Db, id: string): Promise<void> {
    await db.update(messageOutbox).set({ personalisation: {}, preview: null }).where(eq(messageOutbox.id, id));
  }

  async findById(db: Db, id: string): Promise<OutboxRow | undefined> {
    const [row] = await db.select().from(messageOutbox).where(eq(messageOutbox.id, id));
    return row;
  }

  async forSource(db: Db, sourceKind: string, sourceIds: readonly string[]): Promise<OutboxRow[]> {
    if (sourceIds.length === 0) return [];
    return db
      .select()
      .from(messageOutbox)
      .where(and(eq(messageOutbox.sourceKind, sourceKind), inArray(messageOutbox.sourceId, [...sourceIds])));
  }

  /** Messages given up on, newest first: a trust's, and those no trust owns. */
  async notDelivered(db: Db, trustId: string, limit: number): Promise<OutboxRow[]> {
    return db
      .select()
      .from(messageOutbox)
      .where(
        and(
          eq(messageOutbox.state, 'not_delivered'),
          or(eq(messageOutbox.trustId, trustId), isNull(messageOutbox.trustId)),
        ),
      )
      .orderBy(desc(messageOutbox.createdAt))
      .limit(limit);
  }

  /** Deletes up to `limit` messages that finished (sent, given up, expired) before `before`. */
  async deleteFinishedBefore(db: Db, before: Date, limit: number): Promise<number> {
    const due = db
      .select({ id: messageOutbox.id })
      .from(messageOutbox)
      .where(
        and(
          inArray(messageOutbox.state, ['sent', 'not_delivered', 'expired']),
          lt(messageOutbox.finishedAt, before),
        ),
      )
      .limit(limit);
    const deleted = await db
      .delete(messageOutbox)
      .where(inArray(messageOutbox.id, due))
      .returning({ id: messageOutbox.id });
    return deleted.length;
  }

  /**
   * A crisis team's safety messages given up on, newest first: those about the team (its
   * concerns, its lone workers), and any whose duty contact or recipient is the team's duty
   * email or one of its staff.
   */
  async safetyNotDeliveredForTeam(
    db: Db,
    trustId: string,
    crisisTeamId: string,
    limit: number,
  ): Promise<OutboxRow[]> {
    const teamAddresses = sql`(
      SELECT duty_email FROM crisis_teams WHERE id = ${crisisTeamId} AND duty_email IS NOT NULL
      UNION SELECT email FROM staff_users WHERE crisis_team_id = ${crisisTeamId}
    )`;
    return db
      .select()
      .from(messageOutbox)
      .where(
        and(
          eq(messageOutbox.state, 'not_delivered'),
          eq(messageOutbox.safety, true),
          eq(messageOutbox.trustId, trustId),
          or(
            eq(messageOutbox.crisisTeamId, crisisTeamId),
            sql`${messageOutbox.recipient} IN ${teamAddresses}`,
            sql`${messageOutbox.dutyContact} IN ${teamAddresses}`,
          ),
        ),
      )
      .orderBy(desc(messageOutbox.createdAt))
      .limit(limit);
  }
}
