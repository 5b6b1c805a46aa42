/**
 * Demo data: two messages the outbox gave up on, so "Messages not delivered" has something to
 * show. A session reminder to a number the provider refused, and a safety escalation email that
 * could not be sent. Invented numbers and addresses (Ofcom's drama range, the demo's domain).
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { HOUR } from '../platform/clock.ts';
import { MessageOutboxRepository } from '../platform/notifications/message-outbox.repository.ts';

export const DEMO_UNDELIVERED = {
  reminderTo: '07700 900982',
  escalationTo: 'clinician.north@demo.greenleaf.nhs.uk',
} as const;

export async function seedDemoUndeliveredMessages(tx: Db, trustId: string, now: Date): Promise<void> {
  const outbox = new MessageOutboxRepository();
  const row = (hoursAgo: number) => {
    const createdAt = new Date(now.getTime() - hoursAgo * HOUR);
    return {
      id: randomUUID(),
      personalisation: {},
      trustId,
      sourceKind: 'demo',
      sourceId: randomUUID(),
      state: 'not_delivered' as const,
      attempts: 5,
      nextAttemptAt: createdAt,
      createdAt,
      finishedAt: new Date(createdAt.getTime() + 16 * 60_000),
    };
  };
  await outbox.insertOnce(tx, {
    ...row(26),
    channel: 'sms',
    recipient: DEMO_UNDELIVERED.reminderTo,
    template: 'session_reminder',
    lastError: 'Notify answered 400: phone_number Not a UK mobile number',
  });
  await outbox.insertOnce(tx, {
    ...row(3),
    channel: 'email',
    recipient: DEMO_UNDELIVERED.escalationTo,
    template: 'concern_escalation',
    safety: true,
    lastError: 'connect ETIMEDOUT 203.0.113.7:443',
  });
}
