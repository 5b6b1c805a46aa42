import { desc, eq } from 'drizzle-orm';
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

  async latest(db: Db, limit: number): Promise<NotificationRow[]> {
    return db.select().from(notifications).orderBy(desc(notifications.createdAt)).limit(limit);
  }
}
