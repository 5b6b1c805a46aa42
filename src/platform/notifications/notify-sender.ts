import { randomUUID } from 'node:crypto';
import { NotifyClient } from 'notifications-node-client';
import type { Db } from '../database/database.ts';
import type { Clock } from '../clock.ts';
import type { NotifyTemplateIds } from '../../config.ts';
import type {
  DeliveryStatus,
  NotificationSender,
  OutgoingMessage,
  SentMessage,
} from './notification-sender.ts';
import type { NotificationsRepository } from './notifications.repository.ts';

/** The part of GOV.UK Notify's client we use, so tests can stand in for the service. */
export interface NotifyApi {
  sendSms(
    templateId: string,
    phoneNumber: string,
    options: { personalisation: Record<string, string>; reference: string },
  ): Promise<{ data: { id: string } }>;
  sendEmail(
    templateId: string,
    emailAddress: string,
    options: { personalisation: Record<string, string>; reference: string },
  ): Promise<{ data: { id: string } }>;
  getNotificationById(notificationId: string): Promise<{ data: { status: string } }>;
  getNotifications(
    templateType?: string,
    status?: string,
    reference?: string,
  ): Promise<{ data: { notifications: { id: string; reference?: string | null; status: string }[] } }>;
}

export type { NotifyTemplateIds };

/**
 * GOV.UK Notify's message statuses in our words. Still on its way (created, sending, pending,
 * and "sent" to an international number, which never reports delivery) is 'sent'.
 * https://docs.notifications.service.gov.uk/node.html#get-the-status-of-one-message
 */
export function deliveryStatusFromNotify(status: string): DeliveryStatus {
  switch (status) {
    case 'delivered':
      return 'delivered';
    case 'permanent-failure':
    case 'temporary-failure':
    case 'technical-failure':
    case 'validation-failed':
      return 'failed';
    default:
      return 'sent';
  }
}

export function createNotifyClient(apiKey: string): NotifyApi {
  return new NotifyClient(apiKey);
}

/** Sends through GOV.UK Notify and records the message (without its personalisation, which may hold a code). */
export class NotifySender implements NotificationSender {
  private readonly client: NotifyApi;
  private readonly templates: NotifyTemplateIds;
  private readonly db: Db;
  private readonly repository: NotificationsRepository;
  private readonly clock: Clock;

  constructor(
    client: NotifyApi,
    templates: NotifyTemplateIds,
    db: Db,
    repository: NotificationsRepository,
    clock: Clock,
  ) {
    this.client = client;
    this.templates = templates;
    this.db = db;
    this.repository = repository;
    this.clock = clock;
  }

  async send(message: OutgoingMessage): Promise<{ reference: string; providerReference?: string }> {
    const id = message.reference ?? randomUUID();
    const templateId = this.templates[message.template][message.channel];
    if (!templateId)
      throw new Error(`No GOV.UK Notify template for ${message.template} by ${message.channel}`);
    const options = { personalisation: message.personalisation, reference: id };
    let status: 'sent' | 'failed' = 'sent';
    let providerReference: string | null = null;
    try {
      const response =
        message.channel === 'sms'
          ? await this.client.sendSms(templateId, message.to, options)
          : await this.client.sendEmail(templateId, message.to, options);
      providerReference = response.data.id;
    } catch (error) {
      status = 'failed';
      throw error;
    } finally {
      await this.record(message, id, status, providerReference);
    }
    return providerReference ? { reference: id, providerReference } : { reference: id };
  }

  /**
   * Asks GOV.UK Notify for messages sent with our reference (its "get multiple messages" call
   * filtered by `reference`), so a send whose answer was lost in a crash is found, not repeated.
   */
  async findSent(message: SentMessage): Promise<{ providerReference?: string } | undefined> {
    const recorded = await this.repository.findById(this.db, message.reference);
    if (recorded?.providerReference) return { providerReference: recorded.providerReference };
    const response = await this.client.getNotifications(undefined, undefined, message.reference);
    const found = response.data.notifications.find((n) => n.reference === message.reference);
    if (!found) return undefined;
    // The crash came before our record of it: keep one now, so its delivery can be asked about.
    await this.record(message, message.reference, 'sent', found.id);
    return { providerReference: found.id };
  }

  /** Our record of a message (without its personalisation, which may hold a code); a retry overwrites a failure. */
  private async record(
    message: OutgoingMessage,
    id: string,
    status: 'sent' | 'failed',
    providerReference: string | null,
  ): Promise<void> {
    await this.repository.upsert(this.db, {
      id,
      channel: message.channel,
      recipient: message.to,
      template: message.template,
      personalisation: {},
      status,
      providerReference,
      createdAt: this.clock.now(),
    });
  }

  async deliveryStatus(reference: string): Promise<DeliveryStatus> {
    const row = await this.repository.findById(this.db, reference);
    if (!row?.providerReference) return 'failed';
    if (row.status === 'delivered' || row.status === 'failed') return row.status;
    const response = await this.client.getNotificationById(row.providerReference);
    const status = deliveryStatusFromNotify(response.data.status);
    if (status !== row.status) await this.repository.updateStatus(this.db, reference, status);
    return status;
  }
}
