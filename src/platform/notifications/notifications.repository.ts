import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../database/database.ts';
import { notifications } from '../database/schema.ts';

export type NotificationRow = typeof notifications.$inferSelect;

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
