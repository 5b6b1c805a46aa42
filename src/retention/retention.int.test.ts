import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { count, queryRows } from '../test-support/rows.ts';
import { createTestApp, type TestApp } from '../test-support/test-app.ts';
import { DAY } from '../platform/clock.ts';
import { DELETE_PAST_RETENTION_JOB } from './retention-jobs.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ NOTIFICATION_RETENTION_DAYS: '90', SIGN_IN_RECORD_RETENTION_DAYS: '30' });
});
afterAll(async () => {
  await t.close();
});

const messagesTo = (recipient: string) =>
  count(t.database, sql`SELECT count(*)::int AS n FROM notifications WHERE recipient = ${recipient}`);

async function send(to: string) {
  await t.deps.services.notifications.send({
    channel: 'sms',
    to,
    template: 'session_reminder',
    personalisation: { time: '10am' },
  });
}

async function retentionEvents() {
  return queryRows<{ detail: { deleted: Record<string, number>; retentionDays: Record<string, number> } }>(
    t.database,
    sql`SELECT detail FROM audit_events WHERE action = 'retention.applied' ORDER BY occurred_at`,
  );
}

describe('the nightly deletion of data past its retention', () => {
  it('deletes messages older than NOTIFICATION_RETENTION_DAYS in batches, keeps newer ones, and audits the counts', async () => {
    const endingSummaries = () =>
      count(
        t.database,
        sql`SELECT count(*)::int AS n FROM notifications JOIN programme_ending_shares s ON s.notification_id = notifications.id`,
      );
    const summariesBefore = await endingSummaries();
    expect(summariesBefore).toBeGreaterThan(0);
    // More than one batch of old messages, then one a month later.
    for (let i = 0; i < 520; i++) await send('+447700900501');
    t.clock.advance(31 * DAY);
    await send('+447700900502');

    t.clock.advance(60 * DAY); // 91 days after the first messages, 60 after the last.
    await t.jobs.runNow(DELETE_PAST_RETENTION_JOB);
    await t.runJobs();

    expect(await messagesTo('+447700900501')).toBe(0);
    expect(await messagesTo('+447700900502')).toBe(1);
    // An ending summary shared with a care team is correspondence about care: it stays.
    expect(await endingSummaries()).toBe(summariesBefore);
    // A reminder stays with its session when the copy of its message goes.
    expect(
      await count(
        t.database,
        sql`SELECT count(*)::int AS n FROM session_reminders WHERE sent_at IS NOT NULL`,
      ),
    ).toBeGreaterThan(0);
    const events = await retentionEvents();
    expect(events).toHaveLength(1);
    expect(events[0]?.detail.deleted.notifications).toBeGreaterThanOrEqual(520);
    expect(events[0]?.detail.retentionDays).toEqual({ notifications: 90, signInRecords: 30 });
  });

  it('audits a run that found nothing to delete, with zero counts', async () => {
    await t.deps.services.retention.deletePastRetention();
    const events = await retentionEvents();
    expect(events).toHaveLength(2);
    expect(events[1]?.detail.deleted).toEqual({
      notifications: 0,
      outboxMessages: 0,
      sessions: 0,
      signInCodes: 0,
      signInCounters: 0,
    });
    expect(await messagesTo('+447700900502')).toBe(1);
  });

  it('deletes the rows of the message outbox of messages that finished before the retention period, and keeps newer ones', async () => {
    const outboxRowsTo = (recipient: string) =>
      count(t.database, sql`SELECT count(*)::int AS n FROM message_outbox WHERE recipient = ${recipient}`);
    const enqueue = async (to: string) => {
      await t.database.db.transaction(async (tx) => {
        await t.deps.services.messageOutbox.enqueue(tx, {
          channel: 'sms',
          to,
          template: 'session_reminder',
          personalisation: { time: '10am' },
          source: { kind: 'retention-test', id: to },
        });
      });
      await t.deps.services.messageOutbox.dispatchDue();
    };
    await enqueue('+447700900601');
    t.clock.advance(31 * DAY);
    await enqueue('+447700900602');
    t.clock.advance(60 * DAY);
    const run = await t.deps.services.retention.deletePastRetention();
    expect(run.outboxMessages).toBe(1);
    expect(await outboxRowsTo('+447700900601')).toBe(0);
    expect(await outboxRowsTo('+447700900602')).toBe(1);
  });
});
