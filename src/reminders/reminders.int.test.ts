/**
 * Session reminders through the app as people use it: booking plans the messages in UK time
 * inside the participant's safe hours, the send job puts each in the outbox once at the right
 * time (by the hand-moved clock), cancelled and moved sessions send nothing, a failing
 * provider is retried with back-off and then given up on, the worker sees every status, and
 * preferences and calendar files are only for the people they belong to.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestApp, DEMO, TEST_NOW, type TestApp, type TestClient } from '../test-support/test-app.ts';
import { count, queryRows } from '../test-support/rows.ts';
import { MINUTE } from '../platform/clock.ts';
import { NotificationsRepository } from '../platform/notifications/notifications.repository.ts';
import { OutboxSender } from '../platform/notifications/outbox-sender.ts';
import type {
  DeliveryStatus,
  NotificationSender,
  OutgoingMessage,
  SentMessage,
} from '../platform/notifications/notification-sender.ts';
import { CLINICAL_WORDS } from './message-text.ts';
import { ReminderRepository } from './reminder.repository.ts';
import { ReminderDeliveryService } from './reminder-delivery.service.ts';
import { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import { MessageOutboxRepository } from '../platform/notifications/message-outbox.repository.ts';
import { SILENT_LOG } from '../test-support/silent-log.ts';

let t: TestApp;
let pat: TestClient;
/** Pat's participants, most recently discharged first. */
let patsParticipants: string[] = [];
let participantId: string;

interface ReminderDbRow {
  id: string;
  kind: string;
  channel: string;
  recipient: string;
  status: string;
  due_at: Date | string;
  next_attempt_at: Date | string;
  attempts: number;
  last_error: string | null;
  status_reason: string | null;
  notification_id: string | null;
}

const iso = (value: Date | string) => new Date(value).toISOString();

const remindersOf = (sessionId: string) =>
  queryRows<ReminderDbRow>(
    t.database,
    sql`SELECT * FROM session_reminders WHERE session_id = ${sessionId} ORDER BY kind`,
  );

/** What reached the outbox about one session: the text of each message. */
const outboxFor = async (sessionId: string) =>
  (
    await queryRows<{ template: string; recipient: string; personalisation: Record<string, string> }>(
      t.database,
      sql`SELECT n.template, n.recipient, n.personalisation FROM notifications n JOIN session_reminders r ON r.notification_id = n.id WHERE r.session_id = ${sessionId} ORDER BY n.created_at`,
    )
  ).map((row) => ({ template: row.template, to: row.recipient, body: row.personalisation.body ?? '' }));

async function setPreferences(
  id: string,
  channel: 'sms' | 'email' | 'none',
  earliest = 9,
  latest = 20,
): Promise<void> {
  await t.database.db.execute(
    sql`UPDATE participants SET reminder_channel = ${channel}, reminder_earliest_hour = ${earliest}, reminder_latest_hour = ${latest}, email = COALESCE(email, 'sam.reminders@example.com') WHERE id = ${id}`,
  );
}

/** Pat books a session the way the form does, and returns its id. */
async function book(on: string, time: string, id = participantId): Promise<string> {
  const [year = '', month = '', day = ''] = on.split('-');
  const submissionToken = randomUUID();
  await pat.get(`/participants/${id}/sessions/new`);
  const response = await pat.post(`/participants/${id}/sessions/new`, {
    submissionToken,
    'plannedOn[day]': String(Number(day)),
    'plannedOn[month]': String(Number(month)),
    'plannedOn[year]': year,
    plannedTime: time,
    mode: 'in_person',
    place: 'community_venue',
    outsideWindowReason: 'Agreed with my supervisor',
    confirmOverCap: 'yes',
  });
  expect(response.statusCode).toBe(303);
  const [row] = await queryRows<{ id: string }>(
    t.database,
    sql`SELECT id FROM programme_sessions WHERE submission_token = ${submissionToken}`,
  );
  return row!.id;
}

async function recordAs(sessionId: string, status: string): Promise<void> {
  const [session] = await queryRows<{ version: number }>(
    t.database,
    sql`SELECT version FROM programme_sessions WHERE id = ${sessionId}`,
  );
  await pat.get(`/sessions/${sessionId}/record`);
  const response = await pat.post(`/sessions/${sessionId}/record`, {
    version: String(session!.version),
    status,
    reason: 'life_event',
  });
  expect(response.statusCode).toBe(303);
}

const sendDue = () => t.deps.services.reminderDelivery.sendDue();

/** A provider that fails `failures` times, then hands the message to the outbox. */
class FlakySender implements NotificationSender {
  failures: number;
  calls = 0;
  status: DeliveryStatus = 'delivered';
  private readonly outbox: OutboxSender;
  constructor(failures: number) {
    this.failures = failures;
    this.outbox = new OutboxSender(t.database.db, new NotificationsRepository(), t.clock);
  }
  /** As after kill -9: the provider has the message (or not yet), and this sender never answers. */
  dieAfterSending = false;
  dieBeforeSending = false;
  async send(message: OutgoingMessage): Promise<{ reference: string; providerReference?: string }> {
    this.calls += 1;
    if (this.dieBeforeSending) return new Promise(() => undefined);
    if (this.dieAfterSending) {
      await this.outbox.send(message);
      return new Promise(() => undefined);
    }
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('Notify answered 500');
    }
    const { reference } = await this.outbox.send(message);
    return { reference, providerReference: `provider-${reference}` };
  }
  deliveryStatus(): Promise<DeliveryStatus> {
    return Promise.resolve(this.status);
  }
  findSent(message: SentMessage): Promise<{ providerReference?: string } | undefined> {
    return this.outbox.findSent(message);
  }
}

function deliveryWith(sender: NotificationSender): ReminderDeliveryService {
  const outbox = new MessageOutbox(
    t.database.db,
    new MessageOutboxRepository(),
    sender,
    t.deps.services.audit,
    t.clock,
    { maxAttempts: 4, leaseMs: 2 * MINUTE },
    SILENT_LOG,
  );
  return new ReminderDeliveryService(
    t.database.db,
    new ReminderRepository(),
    outbox,
    sender,
    t.deps.services.audit,
    t.clock,
    { hoursBefore: 24, maxAttempts: 4, publicUrl: 'https://greenleaf.example' },
  );
}

beforeAll(async () => {
  t = await createTestApp({ PUBLIC_URL: 'https://greenleaf.example' });
  pat = await t.signedInAs(DEMO.workerPat);
  patsParticipants = (
    await queryRows<{ id: string }>(
      t.database,
      sql`SELECT p.id FROM participants p JOIN allocations a ON a.participant_id = p.id AND a.ended_at IS NULL JOIN staff_users s ON s.id = a.peer_worker_id WHERE s.email = ${DEMO.workerPat} AND p.mobile IS NOT NULL ORDER BY p.discharged_on DESC`,
    )
  ).map((row) => row.id);
  participantId = patsParticipants[0]!;
  // Only this file's messages are due from here on: the demo's own go out of the way.
  await t.database.db.execute(
    sql`UPDATE session_reminders SET status = 'cancelled', status_reason = 'test' WHERE status = 'scheduled'`,
  );
});
afterAll(async () => {
  await t.close();
});
beforeEach(async () => {
  t.clock.set('2026-11-26T10:00:00Z');
  await setPreferences(participantId, 'sms');
});

describe('planning, when a session is booked', () => {
  it('plans the confirmation now and the reminder 24 hours before, in UK time', async () => {
    const sessionId = await book('2026-12-03', '14:30');
    const [booked, upcoming] = await remindersOf(sessionId);
    expect(booked).toMatchObject({ kind: 'booked', channel: 'sms', status: 'scheduled' });
    expect(iso(booked!.due_at)).toBe('2026-11-26T10:00:00.000Z');
    expect(upcoming).toMatchObject({ kind: 'upcoming', status: 'scheduled' });
    expect(iso(upcoming!.due_at)).toBe('2026-12-02T14:30:00.000Z');
  });

  it('keeps the UK time across the March clock change', async () => {
    // Sunday 28 March 2027, 10am BST (9am UTC): reminded Saturday at 10am GMT, 23 hours before.
    const sessionId = await book('2027-03-28', '10:00');
    const [, upcoming] = await remindersOf(sessionId);
    expect(iso(upcoming!.due_at)).toBe('2027-03-27T10:00:00.000Z');
  });

  it('moves a reminder outside the safe hours to the evening before, and skips what cannot be safe', async () => {
    const early = await book('2026-12-08', '08:30');
    const [, upcoming] = await remindersOf(early);
    // Monday 8:30am is before 9am: Sunday 8pm instead.
    expect(iso(upcoming!.due_at)).toBe('2026-12-06T20:00:00.000Z');

    // Booked at 9:30pm for 8am tomorrow: no safe time is left for either message.
    t.clock.set('2026-11-26T21:30:00Z');
    // Half a day later, Pat signs in again.
    pat = await t.signedInAs(DEMO.workerPat);
    const tomorrow = await book('2026-11-27', '08:00');
    const rows = await remindersOf(tomorrow);
    expect(rows.map((r) => [r.kind, r.status, r.status_reason])).toEqual([
      ['booked', 'skipped', 'outside safe times'],
      ['upcoming', 'skipped', 'booked too close to the session: the booking message is the reminder'],
    ]);
  });

  it('plans nothing for someone who asked for no reminders', async () => {
    await setPreferences(participantId, 'none');
    const sessionId = await book('2026-12-10', '11:00');
    expect(await remindersOf(sessionId)).toEqual([]);
  });
});

describe('sending', () => {
  it('sends each message once, at its time, with no clinical words', async () => {
    const sessionId = await book('2026-12-04', '15:00');
    await sendDue();
    expect(await outboxFor(sessionId)).toEqual([
      {
        template: 'session_booked',
        to: expect.stringMatching(/^\+447700/) as string,
        body: expect.stringContaining(
          'your Greenleaf meeting with Pat is booked for Friday 4 December at 3pm, in person at a community venue',
        ) as string,
      },
    ]);
    // Not yet: a minute before the reminder is due.
    t.clock.set('2026-12-03T14:59:00Z');
    await sendDue();
    expect(await outboxFor(sessionId)).toHaveLength(1);
    t.clock.set('2026-12-03T15:00:00Z');
    await sendDue();
    await sendDue();
    const messages = await outboxFor(sessionId);
    expect(messages.map((m) => m.template)).toEqual(['session_booked', 'session_reminder']);
    expect(messages[1]!.body).toContain('https://greenleaf.example/me');
    for (const { body } of messages) {
      for (const word of CLINICAL_WORDS) expect(body.toLowerCase()).not.toMatch(new RegExp(`\\b${word}`));
    }
    const rows = await remindersOf(sessionId);
    expect(rows.map((r) => r.status)).toEqual(['sent', 'sent']);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'reminder.sent' AND entity_id IN (${rows[0]!.id}, ${rows[1]!.id})`,
      ),
    ).toBe(2);
  });

  it('sends once when two runs overlap', async () => {
    const sessionId = await book('2026-12-05', '12:00');
    const other = deliveryWith(new FlakySender(0));
    await Promise.all([sendDue(), other.sendDue(), sendDue()]);
    expect(await outboxFor(sessionId)).toHaveLength(1);
  });

  it('sends nothing about a cancelled session, or a moved one', async () => {
    const cancelled = await book('2026-12-07', '11:00');
    const moved = await book('2026-12-07', '15:00');
    await recordAs(cancelled, 'cancelled_by_participant');
    await recordAs(moved, 'rescheduled');
    t.clock.set('2026-12-07T10:00:00Z');
    await sendDue();
    expect(await outboxFor(cancelled)).toEqual([]);
    expect(await outboxFor(moved)).toEqual([]);
    expect((await remindersOf(cancelled)).map((r) => [r.status, r.status_reason])).toEqual([
      ['cancelled', 'session cancelled'],
      ['cancelled', 'session cancelled'],
    ]);
    expect((await remindersOf(moved)).map((r) => r.status_reason)).toEqual([
      'session moved',
      'session moved',
    ]);
  });

  it('checks again just before sending: a session moved behind its back is not reminded', async () => {
    const sessionId = await book('2026-12-09', '10:00');
    await t.database.db.execute(
      sql`UPDATE programme_sessions SET planned_at = '2026-12-09T16:00:00Z' WHERE id = ${sessionId}`,
    );
    await sendDue();
    expect(await outboxFor(sessionId)).toEqual([]);
    expect((await remindersOf(sessionId))[0]).toMatchObject({
      status: 'cancelled',
      status_reason: 'session moved',
    });
  });

  it('sends no reminder for a session moved, rescheduled or cancelled after its reminder was planned', async () => {
    const rescheduled = await book('2026-12-11', '10:00');
    const cancelled = await book('2026-12-11', '13:00');
    const retimed = await book('2026-12-11', '16:00');
    // The booking messages go now; each reminder is planned for the day before.
    await sendDue();
    // Changed without the recording that cancels their messages (a change committed by another
    // instance between the planning and the send): only the sender's own check stops them.
    await t.database.db.execute(
      sql`UPDATE programme_sessions SET status = 'rescheduled', status_reason = 'life_event' WHERE id = ${rescheduled}`,
    );
    await t.database.db.execute(
      sql`UPDATE programme_sessions SET status = 'cancelled_by_worker', status_reason = 'unwell' WHERE id = ${cancelled}`,
    );
    await t.database.db.execute(
      sql`UPDATE programme_sessions SET planned_at = '2026-12-11T17:00:00Z' WHERE id = ${retimed}`,
    );
    t.clock.set('2026-12-10T16:00:00Z');
    await sendDue();
    for (const id of [rescheduled, cancelled, retimed]) {
      expect((await outboxFor(id)).map((message) => message.template)).toEqual(['session_booked']);
    }
    const reminder = async (id: string) => (await remindersOf(id)).find((row) => row.kind === 'upcoming');
    expect(await reminder(rescheduled)).toMatchObject({
      status: 'cancelled',
      status_reason: 'session moved',
    });
    expect(await reminder(cancelled)).toMatchObject({
      status: 'cancelled',
      status_reason: 'session cancelled',
    });
    expect(await reminder(retimed)).toMatchObject({ status: 'cancelled', status_reason: 'session moved' });
  });

  it('retries a failing provider after 1, 2 and 4 minutes, then sends once', async () => {
    const sessionId = await book('2026-12-11', '10:00');
    const flaky = new FlakySender(3);
    const delivery = deliveryWith(flaky);
    await delivery.sendDue();
    let [booked] = await remindersOf(sessionId);
    expect(booked).toMatchObject({ status: 'sending', attempts: 1, last_error: 'Notify answered 500' });
    expect(iso(booked!.next_attempt_at)).toBe('2026-11-26T10:01:00.000Z');
    // Not before the back-off is over.
    t.clock.advance(30_000);
    await delivery.sendDue();
    expect(flaky.calls).toBe(1);
    t.clock.set('2026-11-26T10:01:00Z');
    await delivery.sendDue();
    [booked] = await remindersOf(sessionId);
    expect(booked).toMatchObject({ status: 'sending', attempts: 2 });
    expect(iso(booked!.next_attempt_at)).toBe('2026-11-26T10:03:00.000Z');
    t.clock.set('2026-11-26T10:03:00Z');
    await delivery.sendDue();
    [booked] = await remindersOf(sessionId);
    expect(iso(booked!.next_attempt_at)).toBe('2026-11-26T10:07:00.000Z');
    t.clock.set('2026-11-26T10:07:00Z');
    await delivery.sendDue();
    await delivery.sendDue();
    expect(flaky.calls).toBe(4);
    expect(await outboxFor(sessionId)).toHaveLength(1);
    [booked] = await remindersOf(sessionId);
    expect(booked).toMatchObject({ status: 'sent', attempts: 4, last_error: null });
  });

  it('gives up after the most attempts and shows it as failed', async () => {
    const sessionId = await book('2026-12-14', '10:00');
    const broken = new FlakySender(100);
    const delivery = deliveryWith(broken);
    for (const minutes of [0, 1, 2, 4, 8, 16]) {
      t.clock.advance(minutes * MINUTE);
      await delivery.sendDue();
    }
    expect(broken.calls).toBe(4);
    const [booked] = await remindersOf(sessionId);
    expect(booked).toMatchObject({
      status: 'failed',
      attempts: 4,
      status_reason: 'not accepted by the text and email service after 4 tries',
    });
    expect(await outboxFor(sessionId)).toEqual([]);
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'reminder.failed' AND entity_id = ${booked!.id}`,
      ),
    ).toBe(1);
  });

  it('a reminder whose sender was killed after handing it over is checked by reference, not sent twice', async () => {
    const sessionId = await book('2026-12-15', '10:00');
    // The send job decided and handed the message over; the process died before recording it.
    const dying = new FlakySender(0);
    dying.dieAfterSending = true;
    void deliveryWith(dying).sendDue();
    for (let i = 0; i < 200 && (await outboxFor(sessionId)).length === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await remindersOf(sessionId))[0]!.status).toBe('sending');
    // Another instance, after the lease: finds it went, records it, sends nothing more.
    t.clock.advance(2 * MINUTE);
    const next = new FlakySender(0);
    await deliveryWith(next).sendDue();
    expect(next.calls).toBe(0);
    expect(await outboxFor(sessionId)).toHaveLength(1);
    expect((await remindersOf(sessionId))[0]).toMatchObject({ status: 'sent' });
  });

  it('a reminder whose sender was killed before handing it over is sent once by the next run', async () => {
    const sessionId = await book('2026-12-15', '14:00');
    const dying = new FlakySender(0);
    dying.dieBeforeSending = true;
    void deliveryWith(dying).sendDue();
    for (let i = 0; i < 200 && dying.calls === 0; i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    expect(await outboxFor(sessionId)).toEqual([]);
    t.clock.advance(2 * MINUTE);
    const next = new FlakySender(0);
    await deliveryWith(next).sendDue();
    expect(next.calls).toBe(1);
    expect(await outboxFor(sessionId)).toHaveLength(1);
    expect((await remindersOf(sessionId))[0]).toMatchObject({ status: 'sent' });
  });

  it('sends nothing more once the programme has ended', async () => {
    const other = patsParticipants[1]!;
    await setPreferences(other, 'sms');
    const sessionId = await book('2026-12-18', '15:00', other);
    const patId = await t.staffId(DEMO.workerPat);
    await t.database.db.execute(
      sql`INSERT INTO programme_endings (participant_id, reason, ended_on, sessions_attended, sections, share_consent, recorded_by, recorded_at)
          VALUES (${other}, 'participant_ended', '2026-11-26', 3, '{}', 'not_asked', ${patId}, ${TEST_NOW})`,
    );
    await sendDue();
    expect(await outboxFor(sessionId)).toEqual([]);
    expect((await remindersOf(sessionId))[0]).toMatchObject({
      status: 'cancelled',
      status_reason: 'programme ended',
    });
  });

  it('records delivery when the provider reports it', async () => {
    const delivered = await book('2026-12-16', '10:00');
    const undelivered = await book('2026-12-16', '14:00');
    const sender = new FlakySender(0);
    const delivery = deliveryWith(sender);
    await delivery.sendDue();
    t.clock.advance(11 * MINUTE);
    await delivery.checkDelivery();
    expect((await remindersOf(delivered))[0]!.status).toBe('delivered');
    // Asked again later about a message that bounced.
    await t.database.db.execute(
      sql`UPDATE session_reminders SET status = 'sent', status_checked_at = NULL WHERE session_id = ${undelivered} AND kind = 'booked'`,
    );
    sender.status = 'failed';
    await delivery.checkDelivery();
    expect((await remindersOf(undelivered))[0]).toMatchObject({
      status: 'failed',
      status_reason: 'the phone or inbox did not accept it',
    });
  });
});

describe('what the worker sees', () => {
  it('shows the setting with a Change link, and each message’s status', async () => {
    const sessionId = await book('2026-12-17', '10:00');
    await sendDue();
    await recordAs(await book('2026-12-18', '10:00'), 'cancelled_by_worker');
    const page = await pat.get(`/participants/${participantId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/Text message to 07700 9\d{5}/);
    expect(page.body).toContain('9am to 8pm, UK time');
    expect(page.body).toContain(`href="/participants/${participantId}/reminders"`);
    expect(page.body).toContain('Booking confirmation by text');
    expect(page.body).toMatch(
      /Sent<\/strong><br><span class="app-reminder-detail">26 November 2026, 10:00\sam/,
    );
    expect(page.body).toMatch(/For 16 December 2026, 10:00\sam/);
    expect(page.body).toMatch(/Cancelled<\/strong><br><span class="app-reminder-detail">Session cancelled/);
    expect(sessionId).toBeTruthy();

    const supervisor = await t.signedInAs(DEMO.supervisorNorth);
    const seen = await supervisor.get(`/participants/${participantId}`);
    expect(seen.body).toContain('9am to 8pm, UK time');
    expect(seen.body).not.toContain(`href="/participants/${participantId}/reminders"`);
  });
});

describe('reminder preferences', () => {
  it('lets the worker change them, audited, and re-plans what is still to come', async () => {
    const sessionId = await book('2026-12-21', '10:00');
    const form = await pat.get(`/participants/${participantId}/reminders`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('How should we remind them?');
    expect(form.body).toContain('value="sms" checked');

    const saved = await pat.post(`/participants/${participantId}/reminders`, {
      channel: 'email',
      earliestHour: '11',
      latestHour: '18',
    });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/participants/${participantId}?done=reminders-updated`);
    const [booked, upcoming] = await remindersOf(sessionId);
    // The confirmation had not gone: it now goes by email, at 11am.
    expect(booked).toMatchObject({ channel: 'email', status: 'scheduled' });
    expect(iso(booked!.due_at)).toBe('2026-11-26T11:00:00.000Z');
    expect(upcoming).toMatchObject({ channel: 'email', recipient: 'sam.reminders@example.com' });
    // 24 hours before 10am is before 11am: 6pm the evening before that.
    expect(iso(upcoming!.due_at)).toBe('2026-12-19T18:00:00.000Z');
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'reminders.preferences_updated' AND entity_id = ${participantId}`,
      ),
    ).toBeGreaterThanOrEqual(1);

    await pat.get(`/participants/${participantId}/reminders`);
    await pat.post(`/participants/${participantId}/reminders`, {
      channel: 'none',
      earliestHour: '9',
      latestHour: '20',
    });
    expect((await remindersOf(sessionId)).map((r) => [r.status, r.status_reason])).toEqual([
      ['cancelled', 'reminder settings changed'],
      ['cancelled', 'reminder settings changed'],
    ]);
    await pat.get(`/participants/${participantId}/reminders`);
    await pat.post(`/participants/${participantId}/reminders`, {
      channel: 'sms',
      earliestHour: '9',
      latestHour: '20',
    });
    const again = await remindersOf(sessionId);
    // Switched back on: the reminder is planned again; no late "booked" message.
    expect(again.map((r) => [r.kind, r.status])).toEqual([
      ['booked', 'cancelled'],
      ['upcoming', 'scheduled'],
    ]);
  });

  it('shows what is wrong, changes nothing, and never fails on hostile input', async () => {
    await pat.get(`/participants/${participantId}/reminders`);
    const none = await pat.post(`/participants/${participantId}/reminders`, {});
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Select how we should send reminders');
    expect(none.body).toContain('Select the earliest time a message can arrive');
    const backwards = await pat.post(`/participants/${participantId}/reminders`, {
      channel: 'sms',
      earliestHour: '18',
      latestHour: '9',
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The latest time must be after the earliest time');
    expect(backwards.body).toContain('<option value="18" selected>');
    for (const fields of [
      { channel: 'x'.repeat(100_000), earliestHour: '9', latestHour: '20' },
      { channel: ['sms', 'email'], earliestHour: '9', latestHour: '20' },
      { channel: 'sms', earliestHour: '3', latestHour: '99999999999999999999' },
    ]) {
      const response = await pat.post(`/participants/${participantId}/reminders`, fields);
      expect(response.statusCode).toBe(400);
    }
    const [row] = await queryRows<{ reminder_channel: string; reminder_latest_hour: number }>(
      t.database,
      sql`SELECT reminder_channel, reminder_latest_hour FROM participants WHERE id = ${participantId}`,
    );
    expect(row).toEqual({ reminder_channel: 'sms', reminder_latest_hour: 20 });
  });

  it('offers text messages only with a mobile on record', async () => {
    const [noMobile] = await queryRows<{ id: string }>(
      t.database,
      sql`SELECT p.id FROM participants p JOIN allocations a ON a.participant_id = p.id AND a.ended_at IS NULL JOIN staff_users s ON s.id = a.peer_worker_id WHERE s.email = ${DEMO.workerPat} AND p.mobile IS NULL LIMIT 1`,
    );
    if (!noMobile) throw new Error('the demo data has no participant of Pat without a mobile');
    const form = await pat.get(`/participants/${noMobile.id}/reminders`);
    expect(form.body).not.toContain('value="sms"');
    const response = await pat.post(`/participants/${noMobile.id}/reminders`, {
      channel: 'sms',
      earliestHour: '9',
      latestHour: '20',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('There is no mobile number to text');
  });

  it('is not found for anyone but the participant’s own worker and the participant', async () => {
    for (const email of [DEMO.workerRob, DEMO.supervisorNorth, DEMO.clinicianNorth, DEMO.coordinator]) {
      const client = await t.signedInAs(email);
      expect((await client.get(`/participants/${participantId}/reminders`)).statusCode).toBe(404);
      await client.get('/help');
      const posted = await client.post(`/participants/${participantId}/reminders`, {
        channel: 'none',
        earliestHour: '9',
        latestHour: '20',
      });
      expect(posted.statusCode).toBe(404);
    }
    const [row] = await queryRows<{ reminder_channel: string }>(
      t.database,
      sql`SELECT reminder_channel FROM participants WHERE id = ${participantId}`,
    );
    expect(row!.reminder_channel).toBe('sms');
  });

  it('lets the participant choose for themselves on /me/reminders', async () => {
    const me = t.client();
    await me.get('/demo');
    await me.post(`/demo/sign-in/participant/${participantId}`, {});
    const form = await me.get('/me/reminders');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('How should we remind you?');
    const saved = await me.post('/me/reminders', { channel: 'email', earliestHour: '10', latestHour: '19' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe('/me/reminders?saved=1');
    const shown = await me.get('/me/reminders?saved=1');
    expect(shown.body).toContain('Reminder settings saved.');
    expect(shown.body).toContain('value="email" checked');
    const [audit] = await queryRows<{ actor_type: string }>(
      t.database,
      sql`SELECT actor_type FROM audit_events WHERE action = 'reminders.preferences_updated' AND entity_id = ${participantId} ORDER BY seq DESC LIMIT 1`,
    );
    expect(audit!.actor_type).toBe('participant');
    expect((await me.get(`/participants/${participantId}/reminders`)).statusCode).toBe(303);
  });
});

describe('calendar files', () => {
  it('serves the invitation from an email’s link without sign-in, and 404 once cancelled', async () => {
    await setPreferences(participantId, 'email');
    const sessionId = await book('2026-12-22', '14:30');
    await sendDue();
    const [email] = await outboxFor(sessionId);
    const link = /https:\/\/greenleaf\.example(\/calendar\/[A-Za-z0-9_-]{43}\.ics)/.exec(email!.body)?.[1];
    expect(link).toBeDefined();

    const response = await t.client().get(link!);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/calendar');
    expect(response.headers['content-disposition']).toBe('attachment; filename="greenleaf-2026-12-22.ics"');
    const lines = response.body.split('\r\n');
    expect(response.body.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(lines[0]).toBe('BEGIN:VCALENDAR');
    expect(lines).toContain(`UID:${sessionId}@greenleaf`);
    expect(lines).toContain('DTSTART:20261222T143000Z');
    expect(lines).toContain('SUMMARY:Greenleaf meeting with Pat');
    expect(lines).toContain('LOCATION:Community venue');
    expect(
      await count(
        t.database,
        sql`SELECT count(*) AS n FROM audit_events WHERE action = 'calendar.downloaded' AND entity_id = ${sessionId}`,
      ),
    ).toBe(1);

    expect((await t.client().get(`/calendar/${'A'.repeat(43)}.ics`)).statusCode).toBe(404);
    expect((await t.client().get('/calendar/not-a-token')).statusCode).toBe(404);
    await recordAs(sessionId, 'cancelled_by_worker');
    expect((await t.client().get(link!)).statusCode).toBe(404);
  });

  it('gives a signed-in participant their own sessions only', async () => {
    const sessionId = await book('2026-12-23', '10:00');
    const me = t.client();
    await me.get('/demo');
    await me.post(`/demo/sign-in/participant/${participantId}`, {});
    const page = await me.get('/me');
    expect(page.body).toContain(`href="/me/sessions/${sessionId}/calendar.ics"`);
    expect(page.body).toContain('Add to calendar');
    const file = await me.get(`/me/sessions/${sessionId}/calendar.ics`);
    expect(file.statusCode).toBe(200);
    expect(file.body).toContain(`UID:${sessionId}@greenleaf`);

    const someoneElse = t.client();
    await someoneElse.get('/demo');
    await someoneElse.post(`/demo/sign-in/participant/${patsParticipants[1]!}`, {});
    expect((await someoneElse.get(`/me/sessions/${sessionId}/calendar.ics`)).statusCode).toBe(404);
    expect((await t.client().get(`/me/sessions/${sessionId}/calendar.ics`)).statusCode).toBe(303);
  });
});
