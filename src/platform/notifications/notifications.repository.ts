import { desc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../database/database.ts';
import { notifications } from '../database/schema.ts';

export type NotificationRow = typeof notifications.$inferSelect;

export class NotificationsRepository {
  async insert(db: Db, row: NotificationRow): Promise<void> {
    await db.insert(notifications).values(row);
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
