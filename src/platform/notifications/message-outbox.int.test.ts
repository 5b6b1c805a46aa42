/**
 * The message outbox: a message is committed with the decision to send it, sent once, and
 * neither lost nor sent twice when its sender dies before or after handing it to the provider
 * (hazards H1 and H11). A sender that "dies" here never returns, as after kill -9: the next
 * sender finds the message once its lease has run out and asks the provider by reference.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ManualClock, MINUTE } from '../clock.ts';
import type { Database } from '../database/database.ts';
import { createTestDatabase } from '../database/test-database.ts';
import { AuditRepository } from '../../audit/audit.repository.ts';
import { AuditService } from '../../audit/audit.service.ts';
import { TEST_AUDIT_KEY } from '../../test-support/audit-key.ts';
import { count, queryRows } from '../../test-support/rows.ts';
import { MessageOutbox, type OutboxMessage, type OutboxOutcome } from './message-outbox.ts';
import { MessageOutboxRepository } from './message-outbox.repository.ts';
import type { NotificationSender, OutgoingMessage, SentMessage } from './notification-sender.ts';
import { NotificationsRepository } from './notifications.repository.ts';
import { OutboxSender } from './outbox-sender.ts';
import { SILENT_LOG } from '../../test-support/silent-log.ts';

let database: Database;
let clock: ManualClock;
beforeAll(async () => {
  database = await createTestDatabase();
});
beforeEach(async () => {
  clock = new ManualClock('2026-11-26T10:00:00Z');
  await database.db.execute(sql`DELETE FROM message_outbox`);
  await database.db.execute(sql`DELETE FROM notifications`);
});
afterAll(async () => {
  await database.close();
});

const LEASE_MS = 2 * MINUTE;

function outboxWith(sender: NotificationSender, maxAttempts = 3): MessageOutbox {
  return new MessageOutbox(
    database.db,
    new MessageOutboxRepository(),
    sender,
    new AuditService(new AuditRepository(), clock, TEST_AUDIT_KEY),
    clock,
    { maxAttempts, leaseMs: LEASE_MS },
    SILENT_LOG,
  );
}

/** The provider as the local outbox: a notifications row per message that went. */
const provider = () => new OutboxSender(database.db, new NotificationsRepository(), clock);

/** A sender whose process is killed: before or after handing the message over, it never returns. */
class DyingSender implements NotificationSender {
  reached = false;
  private readonly inner = provider();
  private readonly when: 'before' | 'after';
  constructor(when: 'before' | 'after') {
    this.when = when;
  }
  async send(message: OutgoingMessage): Promise<{ reference: string }> {
    if (this.when === 'after') await this.inner.send(message);
    this.reached = true;
    return new Promise(() => undefined);
  }
  deliveryStatus(reference: string) {
    return this.inner.deliveryStatus(reference);
  }
  findSent(message: SentMessage) {
    return this.inner.findSent(message);
  }
}

/** A provider that refuses every message. */
const refusing: NotificationSender = {
  send: () => Promise.reject(new Error('Notify answered 500')),
  deliveryStatus: () => Promise.resolve('failed'),
  findSent: () => Promise.resolve(undefined),
};

const message = (overrides: Partial<OutboxMessage> = {}): OutboxMessage => ({
  channel: 'email',
  to: 'duty@example.nhs.uk',
  template: 'lone_working_alert',
  personalisation: { workerName: 'Pat' },
  source: { kind: 'test', id: 'alert-1' },
  ...overrides,
});

const sentTo = (recipient: string) =>
  count(database, sql`SELECT count(*) AS n FROM notifications WHERE recipient = ${recipient}`);

const stateOf = async (id: string) =>
  (await queryRows<{ state: string }>(database, sql`SELECT state FROM message_outbox WHERE id = ${id}`))[0]
    ?.state;

async function enqueue(outbox: MessageOutbox, m: OutboxMessage): Promise<string> {
  const id = await database.db.transaction((tx) => outbox.enqueue(tx, m));
  if (!id) throw new Error('not enqueued');
  return id;
}

/** Lets a never-returning sender reach its point of death. */
async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

describe('message outbox', () => {
  it('keeps one message however often the decision is made, sends it once, and forgets its words', async () => {
    const outbox = outboxWith(provider());
    const id = await enqueue(outbox, message());
    expect(await database.db.transaction((tx) => outbox.enqueue(tx, message()))).toBeUndefined();
    await outbox.dispatchDue();
    await outbox.dispatchDue();
    expect(await sentTo('duty@example.nhs.uk')).toBe(1);
    const [row] = await queryRows<{ state: string; personalisation: object; id: string }>(
      database,
      sql`SELECT state, personalisation, id FROM message_outbox`,
    );
    expect(row).toEqual({ state: 'sent', personalisation: {}, id });
  });

  it('sends nothing when the deciding transaction rolls back', async () => {
    const outbox = outboxWith(provider());
    await expect(
      database.db.transaction(async (tx) => {
        await outbox.enqueue(tx, message());
        throw new Error('the decision failed');
      }),
    ).rejects.toThrow('the decision failed');
    await outbox.dispatchDue();
    expect(await count(database, sql`SELECT count(*) AS n FROM message_outbox`)).toBe(0);
  });

  it('a sender killed after the provider took the message: checked by reference, not sent again', async () => {
    const dying = new DyingSender('after');
    const id = await enqueue(outboxWith(dying), message());
    void outboxWith(dying).dispatchDue();
    await until(() => dying.reached);
    expect(await sentTo('duty@example.nhs.uk')).toBe(1);
    expect(await stateOf(id)).toBe('sending');

    // Another instance, before the lease runs out, leaves it alone; after, it checks and records.
    const next = outboxWith(provider());
    clock.advance(LEASE_MS - 1000);
    expect((await next.dispatchDue()).sent).toBe(0);
    clock.advance(1000);
    expect((await next.dispatchDue()).sent).toBe(1);
    expect(await stateOf(id)).toBe('sent');
    expect(await sentTo('duty@example.nhs.uk')).toBe(1);
  });

  it('a sender killed before the provider took the message: sent once by the next sender', async () => {
    const dying = new DyingSender('before');
    const id = await enqueue(outboxWith(dying), message());
    void outboxWith(dying).dispatchDue();
    await until(() => dying.reached);
    expect(await sentTo('duty@example.nhs.uk')).toBe(0);
    clock.advance(LEASE_MS);
    const outcome = await outboxWith(provider()).dispatchDue();
    expect(outcome.sent).toBe(1);
    expect(await stateOf(id)).toBe('sent');
    expect(await sentTo('duty@example.nhs.uk')).toBe(1);
  });

  it('tries again after a minute when the provider refuses, and records the outcome for the source', async () => {
    const outcomes: OutboxOutcome[] = [];
    const record = (outbox: MessageOutbox) => {
      outbox.onOutcome('test', (_tx, _row, outcome) => {
        outcomes.push(outcome);
        return Promise.resolve();
      });
      return outbox;
    };
    const id = await enqueue(record(outboxWith(refusing)), message());
    await record(outboxWith(refusing)).dispatchDue();
    expect(outcomes).toEqual(['retrying']);
    const working = record(outboxWith(provider()));
    clock.advance(30_000);
    await working.dispatchDue();
    expect(await stateOf(id)).toBe('queued');
    clock.advance(30_000);
    await working.dispatchDue();
    expect(outcomes).toEqual(['retrying', 'sent']);
    expect(await stateOf(id)).toBe('sent');
    expect(await sentTo('duty@example.nhs.uk')).toBe(1);
  });

  it('gives up after the most attempts: not delivered, audited, and the duty contact told once', async () => {
    const outbox = outboxWith(refusing, 2);
    const id = await enqueue(
      outbox,
      message({ to: 'supervisor@example.nhs.uk', safety: true, dutyContact: 'duty@example.nhs.uk' }),
    );
    await outbox.dispatchDue();
    clock.advance(MINUTE);
    await outbox.dispatchDue();
    expect(await stateOf(id)).toBe('not_delivered');
    expect(
      await count(
        database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'message.not_delivered' AND entity_id = ${id}`,
      ),
    ).toBe(1);
    // The notice is a message like any other (the provider is back a minute later).
    clock.advance(MINUTE);
    await outboxWith(provider()).dispatchDue();
    const notices = await queryRows<{ recipient: string; template: string; body: string }>(
      database,
      sql`SELECT recipient, template, personalisation->>'body' AS body FROM notifications`,
    );
    expect(notices).toEqual([
      {
        recipient: 'duty@example.nhs.uk',
        template: 'message_not_delivered',
        body: expect.stringContaining(
          'lone working alert email from Greenleaf could not be delivered',
        ) as string,
      },
    ]);
    expect(notices[0]?.body).not.toContain('Pat');
  });
});
