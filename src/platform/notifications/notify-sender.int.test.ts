import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ManualClock } from '../clock.ts';
import type { Database } from '../database/database.ts';
import { createTestDatabase } from '../database/test-database.ts';
import { queryRows } from '../../test-support/rows.ts';
import {
  deliveryStatusFromNotify,
  NotifySender,
  type NotifyApi,
  type NotifyTemplateIds,
} from './notify-sender.ts';
import { OutboxSender } from './outbox-sender.ts';
import { NotificationsRepository } from './notifications.repository.ts';

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.close();
});

const templates: NotifyTemplateIds = {
  training_expiry: { email: 'training-expiry-email-id' },
  wellbeing_request: { email: 'wellbeing-request-email-id' },
  peer_support_request: { email: 'peer-support-request-email-id' },
  peer_support_unanswered: { email: 'peer-support-unanswered-email-id' },
  trial_sae_clock: { email: 'trial-sae-clock-email-id' },
  trial_intervention_withdrawn: { email: 'trial-intervention-withdrawn-email-id' },
  trial_follow_up_invitation: { sms: 'trial-follow-up-sms-id', email: 'trial-follow-up-email-id' },
  sign_in_code: { sms: 'sms-template-id', email: 'email-template-id' },
  session_booked: { sms: 'booked-sms-id', email: 'booked-email-id' },
  session_reminder: { sms: 'reminder-sms-id', email: 'reminder-email-id' },
  rearrange_request: { email: 'rearrange-email-id' },
  ending_summary: { email: 'ending-email-id' },
  concern_escalation: { email: 'concern-escalation-email-id' },
  concern_999_unconfirmed: { email: 'concern-999-unconfirmed-email-id' },
  concern_reply: { email: 'concern-reply-email-id' },
  lone_working_alert: { email: 'lone-working-alert-email-id' },
  staff_account_created: { email: 'staff-account-created-email-id' },
  staff_password_changed: { email: 'staff-password-changed-email-id' },
  staff_authenticator_set_up: { email: 'staff-authenticator-set-up-email-id' },
  staff_set_up_link: { email: 'staff-set-up-link-email-id' },
  message_not_delivered: { email: 'message-not-delivered-email-id' },
};

/** Stands in for GOV.UK Notify's API: records calls, answers like the service. */
class RecordingNotify implements NotifyApi {
  calls: {
    kind: string;
    templateId: string;
    to: string;
    personalisation: Record<string, string>;
    reference: string;
  }[] = [];
  failNext = false;
  /** What Notify says about each message it was given, by its id. */
  statuses = new Map<string, string>();
  lookups: string[] = [];
  private record(
    kind: string,
    templateId: string,
    to: string,
    options: { personalisation: Record<string, string>; reference: string },
  ) {
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error('Notify answered 500'));
    }
    this.calls.push({ kind, templateId, to, ...options });
    return Promise.resolve({ data: { id: `notify-${this.calls.length}` } });
  }
  sendSms(
    templateId: string,
    to: string,
    options: { personalisation: Record<string, string>; reference: string },
  ) {
    return this.record('sms', templateId, to, options);
  }
  sendEmail(
    templateId: string,
    to: string,
    options: { personalisation: Record<string, string>; reference: string },
  ) {
    return this.record('email', templateId, to, options);
  }
  /** Notify's "get multiple messages", filtered by our reference. */
  getNotifications(_type?: string, _status?: string, reference?: string) {
    return Promise.resolve({
      data: {
        notifications: this.calls
          .map((call, i) => ({ id: `notify-${String(i + 1)}`, reference: call.reference, status: 'sending' }))
          .filter((n) => n.reference === reference),
      },
    });
  }
  getNotificationById(notificationId: string) {
    this.lookups.push(notificationId);
    const status = this.statuses.get(notificationId);
    if (!status) return Promise.reject(new Error('Notify answered 404'));
    return Promise.resolve({ data: { status } });
  }
}

describe('GOV.UK Notify sender', () => {
  it('sends with the template for the channel and keeps a record without the code', async () => {
    const api = new RecordingNotify();
    const sender = new NotifySender(
      api,
      templates,
      database.db,
      new NotificationsRepository(),
      new ManualClock('2026-11-26T10:00:00Z'),
    );
    const { reference } = await sender.send({
      channel: 'sms',
      to: '+447700900982',
      template: 'sign_in_code',
      personalisation: { code: '123456' },
    });
    expect(api.calls).toEqual([
      {
        kind: 'sms',
        templateId: 'sms-template-id',
        to: '+447700900982',
        personalisation: { code: '123456' },
        reference,
      },
    ]);
    const [row] = await queryRows<Record<string, unknown>>(
      database,
      sql`SELECT status, provider_reference, personalisation FROM notifications WHERE id = ${reference}`,
    );
    expect(row).toEqual({ status: 'sent', provider_reference: 'notify-1', personalisation: {} });
  });

  it('finds a message sent with our reference that we never recorded (a crash in between)', async () => {
    const api = new RecordingNotify();
    await api.sendEmail('email-template-id', 'kay@example.com', {
      personalisation: {},
      reference: '5a0e4f3c-1c59-4a43-9e0b-2f7a1e0c9d11',
    });
    const sender = new NotifySender(
      api,
      templates,
      database.db,
      new NotificationsRepository(),
      new ManualClock('2026-11-26T10:00:00Z'),
    );
    const message = {
      channel: 'email' as const,
      to: 'kay@example.com',
      template: 'lone_working_alert' as const,
      personalisation: {},
    };
    expect(await sender.findSent({ ...message, reference: '5a0e4f3c-1c59-4a43-9e0b-2f7a1e0c9d11' })).toEqual({
      providerReference: 'notify-1',
    });
    api.statuses.set('notify-1', 'sending');
    expect(await sender.findSent({ ...message, reference: '6b0e4f3c-1c59-4a43-9e0b-2f7a1e0c9d12' })).toBeUndefined();
    expect(await sender.deliveryStatus('5a0e4f3c-1c59-4a43-9e0b-2f7a1e0c9d11')).toBe('sent');
  });

  it('records a failure and lets the caller know', async () => {
    const api = new RecordingNotify();
    api.failNext = true;
    const sender = new NotifySender(
      api,
      templates,
      database.db,
      new NotificationsRepository(),
      new ManualClock('2026-11-26T10:00:00Z'),
    );
    await expect(
      sender.send({
        channel: 'email',
        to: 'sam@example.com',
        template: 'sign_in_code',
        personalisation: { code: '654321' },
      }),
    ).rejects.toThrow('Notify answered 500');
    const rows = await queryRows<{ status: string }>(
      database,
      sql`SELECT status FROM notifications WHERE recipient = 'sam@example.com'`,
    );
    expect(rows).toEqual([{ status: 'failed' }]);
  });
});

describe('delivery status', () => {
  const sender = (api: RecordingNotify) =>
    new NotifySender(
      api,
      templates,
      database.db,
      new NotificationsRepository(),
      new ManualClock('2026-11-26T10:00:00Z'),
    );
  const statusOf = async (id: string) =>
    (await queryRows<{ status: string }>(database, sql`SELECT status FROM notifications WHERE id = ${id}`))[0]
      ?.status;

  it('maps every GOV.UK Notify status to ours', () => {
    expect(
      [
        'created',
        'sending',
        'pending',
        'sent',
        'delivered',
        'permanent-failure',
        'temporary-failure',
        'technical-failure',
      ].map(deliveryStatusFromNotify),
    ).toEqual(['sent', 'sent', 'sent', 'sent', 'delivered', 'failed', 'failed', 'failed']);
  });

  it('asks Notify by its own id, records the answer, and stops asking once it is final', async () => {
    const api = new RecordingNotify();
    const notify = sender(api);
    const { reference, providerReference } = await notify.send({
      channel: 'sms',
      to: '+447700900111',
      template: 'session_reminder',
      personalisation: { first_name: 'Sam' },
      preview: 'never sent to Notify',
    });
    expect(providerReference).toBe('notify-1');
    expect(api.calls[0]?.personalisation).toEqual({ first_name: 'Sam' });

    api.statuses.set('notify-1', 'sending');
    expect(await notify.deliveryStatus(reference)).toBe('sent');
    expect(await statusOf(reference)).toBe('sent');

    api.statuses.set('notify-1', 'delivered');
    expect(await notify.deliveryStatus(reference)).toBe('delivered');
    expect(await statusOf(reference)).toBe('delivered');
    expect(await notify.deliveryStatus(reference)).toBe('delivered');
    expect(api.lookups).toEqual(['notify-1', 'notify-1']);
  });

  it('records a permanent failure', async () => {
    const api = new RecordingNotify();
    const notify = sender(api);
    const { reference } = await notify.send({
      channel: 'email',
      to: 'gone@example.com',
      template: 'session_booked',
      personalisation: {},
    });
    api.statuses.set('notify-1', 'permanent-failure');
    expect(await notify.deliveryStatus(reference)).toBe('failed');
    expect(await statusOf(reference)).toBe('failed');
  });

  it('the outbox says a message stayed in the outbox, and keeps its text to show', async () => {
    const outbox = new OutboxSender(
      database.db,
      new NotificationsRepository(),
      new ManualClock('2026-11-26T10:00:00Z'),
    );
    const { reference } = await outbox.send({
      channel: 'sms',
      to: '+447700900222',
      template: 'session_reminder',
      personalisation: { first_name: 'Sam' },
      preview: 'Hello Sam',
    });
    expect(await outbox.deliveryStatus(reference)).toBe('outbox');
    const [row] = await queryRows<{ personalisation: Record<string, string> }>(
      database,
      sql`SELECT personalisation FROM notifications WHERE id = ${reference}`,
    );
    expect(row?.personalisation).toEqual({ first_name: 'Sam', body: 'Hello Sam' });
  });
});
