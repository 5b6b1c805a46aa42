import { randomUUID } from 'node:crypto';
import type { Db } from '../database/database.ts';
import type { Clock } from '../clock.ts';
import type { NotificationSender, OutgoingMessage } from './notification-sender.ts';
import type { NotificationsRepository } from './notifications.repository.ts';

/** Keeps messages in the database instead of sending them: for local use, demos and tests. */
export class OutboxSender implements NotificationSender {
  private readonly db: Db;
  private readonly repository: NotificationsRepository;
  private readonly clock: Clock;

  constructor(db: Db, repository: NotificationsRepository, clock: Clock) {
    this.db = db;
    this.repository = repository;
    this.clock = clock;
  }

  async send(message: OutgoingMessage): Promise<{ reference: string }> {
    const id = randomUUID();
    await this.repository.insert(this.db, {
      id,
      channel: message.channel,
      recipient: message.to,
      template: message.template,
      personalisation: message.personalisation,
      status: 'outbox',
      providerReference: null,
      createdAt: this.clock.now(),
    });
    return { reference: id };
  }
}
