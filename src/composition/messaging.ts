/** The notification sender, the message outbox every message goes through, and the account emails. */
import type { NotificationSender } from '../platform/notifications/notification-sender.ts';
import { OutboxSender } from '../platform/notifications/outbox-sender.ts';
import { createNotifyClient, NotifySender } from '../platform/notifications/notify-sender.ts';
import { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import { UndeliveredMessagesService } from '../messages/undelivered-messages.service.ts';
import { AccountMessages } from '../identity/account-messages.ts';
import type { Foundation } from './foundation.ts';

/**
 * How long a sender holds a message it is sending before another may look it up by reference
 * and take it over: well beyond GOV.UK Notify's answer time, short enough for a safety alert.
 */
const OUTBOX_LEASE_MS = 2 * 60_000;

export function buildMessaging(
  { config, db, clock, log, audit, repositories }: Foundation,
  sender: NotificationSender | undefined,
) {
  const notifications =
    sender ??
    (config.notify
      ? new NotifySender(
          createNotifyClient(config.notify.apiKey),
          config.notify.templates,
          db,
          repositories.notifications,
          clock,
        )
      : new OutboxSender(db, repositories.notifications, clock));
  const messageOutbox = new MessageOutbox(
    db,
    repositories.outboxMessages,
    notifications,
    audit,
    clock,
    { maxAttempts: config.reminders.maxAttempts, leaseMs: OUTBOX_LEASE_MS },
    log,
  );
  return {
    notifications,
    messageOutbox,
    undeliveredMessages: new UndeliveredMessagesService(db, repositories.outboxMessages, audit),
    accountMessages: new AccountMessages(messageOutbox, config.publicUrl, log),
  };
}

export type Messaging = ReturnType<typeof buildMessaging>;
