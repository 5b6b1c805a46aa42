import { describe, expect, it } from 'vitest';
import type { ReminderRow } from './reminder.repository.ts';
import { channelDescription, reminderStatusItem } from './reminders.view-model.ts';

function row(overrides: Partial<ReminderRow>): ReminderRow {
  return {
    id: 'r1',
    sessionId: 's1',
    participantId: 'p1',
    kind: 'upcoming',
    channel: 'sms',
    recipient: '+447700900001',
    sessionStartsAt: new Date('2026-12-03T14:30:00Z'),
    dueAt: new Date('2026-12-02T14:30:00Z'),
    status: 'scheduled',
    attempts: 0,
    nextAttemptAt: new Date('2026-12-02T14:30:00Z'),
    lastError: null,
    notificationId: null,
    providerReference: null,
    sentAt: null,
    statusCheckedAt: null,
    cancelledAt: null,
    statusReason: null,
    calendarTokenHash: null,
    createdAt: new Date('2026-11-26T10:00:00Z'),
    ...overrides,
  };
}

describe('what the worker reads about each message', () => {
  it('says when a message is due, or when it will be tried again', () => {
    expect(reminderStatusItem(row({}))).toMatchObject({
      message: 'Reminder by text',
      status: 'Scheduled',
      detail: expect.stringMatching(/^For 2 December 2026, 2:30\spm$/) as string,
    });
    expect(
      reminderStatusItem(row({ attempts: 2, nextAttemptAt: new Date('2026-12-02T14:33:00Z') })).detail,
    ).toMatch(/^Trying again 2 December 2026, 2:33\spm \(2 failed tries\)$/);
  });

  it('gives the reason for a failed, cancelled or skipped message', () => {
    expect(
      reminderStatusItem(
        row({ status: 'failed', statusReason: 'interrupted; not resent to avoid a duplicate' }),
      ),
    ).toMatchObject({
      status: 'Failed',
      tagClass: 'nhsuk-tag--red',
      detail: 'Interrupted; not resent to avoid a duplicate',
    });
    expect(
      reminderStatusItem(row({ kind: 'booked', status: 'skipped', statusReason: 'outside safe times' })),
    ).toMatchObject({
      message: 'Booking confirmation by text',
      status: 'Not sent',
      detail: 'Outside safe times',
    });
    expect(
      reminderStatusItem(
        row({ channel: 'email', status: 'delivered', sentAt: new Date('2026-12-02T14:30:00Z') }),
      ),
    ).toMatchObject({
      message: 'Reminder by email',
      status: 'Delivered',
    });
  });

  it('describes the channel with the number or address it goes to', () => {
    const preferences = { reminderChannel: 'sms', reminderEarliestHour: 9, reminderLatestHour: 20 } as const;
    expect(channelDescription(preferences, '+447700900001', null)).toBe('Text message to 07700 900001');
    expect(channelDescription({ ...preferences, reminderChannel: 'email' }, null, null)).toBe(
      'Email (no email address recorded)',
    );
  });
});
