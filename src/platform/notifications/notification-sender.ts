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
  /**
   * The whole text as the person would read it, for the local outbox only: GOV.UK Notify
   * renders its own from the template and is never sent this.
   */
  preview?: string;
  /**
   * Our idempotency reference: the message outbox row's id. The provider keeps it with the
   * message (GOV.UK Notify's `reference`), so a send interrupted by a crash can be looked up by
   * it afterwards and is resent only if it never went.
   */
  reference?: string;
}

/** A message with its reference, as the outbox hands it over. */
export type SentMessage = OutgoingMessage & { reference: string };

/** What became of a message: kept in the outbox (never sent), handed over, delivered, or failed. */
export type DeliveryStatus = 'outbox' | 'sent' | 'delivered' | 'failed';

export interface NotificationSender {
  /** `reference` is our notifications row; `providerReference` the provider's own id, if any. */
  send(message: OutgoingMessage): Promise<{ reference: string; providerReference?: string }>;
  /** Asks the provider what became of an earlier message, and records the answer. */
  deliveryStatus(reference: string): Promise<DeliveryStatus>;
  /**
   * Whether a message with this reference reached the provider (asked of the provider itself,
   * not only our records): undefined when it never did. The outbox asks before every resend.
   */
  findSent(message: SentMessage): Promise<{ providerReference?: string } | undefined>;
}
