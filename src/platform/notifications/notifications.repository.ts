import { and, desc, eq, inArray, lt, notExists } from 'drizzle-orm';
import type { Db } from '../database/database.ts';
import { notifications, programmeEndingShares } from '../database/schema.ts';

export type NotificationRow = typeof notifications.$inferSelect;

/** Statuses after which nothing more happens to a message (every status there is, today). */
const SETTLED_STATUSES = ['sent', 'delivered', 'failed', 'outbox'] as const;

export class NotificationsRepository {
  async insert(db: Db, row: NotificationRow): Promise<void> {
    await db.insert(notifications).values(row);
  }

  /** Inserts unless a row with this id is there already (a resend after a crash). */
  async insertOnce(db: Db, row: NotificationRow): Promise<void> {
    await db.insert(notifications).values(row).onConflictDoNothing({ target: notifications.id });
  }

  /** Inserts, or (the same message sent again after a failure) records the new outcome. */
  async upsert(db: Db, row: NotificationRow): Promise<void> {
    await db
      .insert(notifications)
      .values(row)
      .onConflictDoUpdate({
        target: notifications.id,
        set: { status: row.status, providerReference: row.providerReference },
      });
  }

  async findById(db: Db, id: string): Promise<NotificationRow | undefined> {
    const [row] = await db.select().from(notifications).where(eq(notifications.id, id));
    return row;
  }

  async updateStatus(db: Db, id: string, status: NotificationRow['status']): Promise<void> {
    await db.update(notifications).set({ status }).where(eq(notifications.id, id));
  }

  /**
   * Deletes up to `limit` messages made before `before` whose delivery is settled (sent,
   * failed, or left in the outbox); how many. An ending summary shared with a care team stays:
   * it is correspondence about the person's care, kept as long as their ending is.
   */
  async deleteSettledBefore(db: Db, before: Date, limit: number): Promise<number> {
    const due = db
      .select({ id: notifications.id })
      .from(notifications)
      .where(
        and(
          lt(notifications.createdAt, before),
          inArray(notifications.status, [...SETTLED_STATUSES]),
          notExists(
            db
              .select({ id: programmeEndingShares.id })
              .from(programmeEndingShares)
              .where(eq(programmeEndingShares.notificationId, notifications.id)),
          ),
        ),
      )
      .limit(limit);
    const deleted = await db
      .delete(notifications)
      .where(inArray(notifications.id, due))
      .returning({ id: notifications.id });
    return deleted.length;
  }

  /** The newest messages made from these templates. */
  async latest(db: Db, limit: number, templates: readonly string[]): Promise<NotificationRow[]> {
    if (templates.length === 0) return [];
    return db
      .select()
      .from(notifications)
      .where(inArray(notifications.template, [...templates]))
      .orderBy(desc(notifications.createdAt))
      .limit(limit);
  }
}
