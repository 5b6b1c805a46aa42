/**
 * How Greenleaf sends SMS and email. Production uses GOV.UK Notify; local runs and tests use
 * the database outbox. Messages never carry clinical words: a shared phone must reveal nothing.
 */
import type { NotificationTemplate } from '../../config.ts';

export type { NotificationTemplate };
export type Channel = 'sms' | 'email';

export interface OutgoingMessage {
  channel: Channel;
  to: string;
  template: NotificationTemplate;
  personalisation: Record<string, string>;
}

export interface NotificationSender {
  send(message: OutgoingMessage): Promise<{ reference: string }>;
}
