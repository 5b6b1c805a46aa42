import { randomUUID } from 'node:crypto';
import type { Db } from '../database/database.ts';
import type { Clock } from '../clock.ts';
import type {
  DeliveryStatus,
  NotificationSender,
  OutgoingMessage,
  SentMessage,
} from './notification-sender.ts';
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
    const id = message.reference ?? randomUUID();
    await this.repository.insertOnce(this.db, {
      id,
      channel: message.channel,
      recipient: message.to,
      template: message.template,
      // The outbox page shows the text the person would have read.
      personalisation:
        message.preview === undefined
          ? message.personalisation
          : { ...message.personalisation, body: message.preview },
      status: 'outbox',
      providerReference: null,
      createdAt: this.clock.now(),
    });
    return { reference: id };
  }

  /** The local outbox is its own provider: a message went if its row is there. */
  async findSent(message: SentMessage): Promise<{ providerReference?: string } | undefined> {
    return (await this.repository.findById(this.db, message.reference)) ? {} : undefined;
  }

  /** Nothing leaves the outbox: the demo says so rather than pretending it was delivered. */
  async deliveryStatus(reference: string): Promise<DeliveryStatus> {
    const row = await this.repository.findById(this.db, reference);
    return row ? 'outbox' : 'failed';
  }
}
