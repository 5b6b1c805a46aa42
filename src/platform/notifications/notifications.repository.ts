import { desc } from 'drizzle-orm';
import type { Db } from '../database/database.ts';
import { notifications } from '../database/schema.ts';

export type NotificationRow = typeof notifications.$inferSelect;

export class NotificationsRepository {
  async insert(db: Db, row: NotificationRow): Promise<void> {
    await db.insert(notifications).values(row);
  }

  async latest(db: Db, limit: number): Promise<NotificationRow[]> {
    return db.select().from(notifications).orderBy(desc(notifications.createdAt)).limit(limit);
  }
}
