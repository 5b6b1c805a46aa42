/**
 * Demo data: the messages about every planned session still to come, as if they had been
 * planned when each was booked. Those already due are in the outbox as sent; the rest are
 * scheduled, so the outbox fills as the demo runs.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, gt, ne } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { participants, programmeSessions, staffUsers } from '../platform/database/schema.ts';
import { NotificationsRepository } from '../platform/notifications/notifications.repository.ts';
import { ReminderRepository } from './reminder.repository.ts';
import { planReminders } from './reminder-schedule.ts';
import { messagePreview, sessionPersonalisation } from './message-text.ts';

export async function seedDemoReminders(tx: Db, now: Date, hoursBefore = 24): Promise<void> {
  const reminders = new ReminderRepository();
  const notifications = new NotificationsRepository();
  const rows = await tx
    .select({ session: programmeSessions, participant: participants, workerName: staffUsers.fullName })
    .from(programmeSessions)
    .innerJoin(participants, eq(participants.id, programmeSessions.participantId))
    .innerJoin(staffUsers, eq(staffUsers.id, programmeSessions.peerWorkerId))
    .where(
      and(
        eq(programmeSessions.status, 'planned'),
        gt(programmeSessions.plannedAt, now),
        ne(participants.reminderChannel, 'none'),
      ),
    );
  for (const { session, participant, workerName } of rows) {
    const channel = participant.reminderChannel === 'email' ? 'email' : 'sms';
    const recipient = channel === 'email' ? participant.email : participant.mobile;
    if (!recipient) continue;
    const plans = planReminders({
      now: session.bookedAt,
      sessionStartsAt: session.plannedAt,
      hoursBefore,
      window: { earliestHour: participant.reminderEarliestHour, latestHour: participant.reminderLatestHour },
    });
    for (const plan of plans) {
      const id = randomUUID();
      const base = {
        id,
        sessionId: session.id,
        participantId: participant.id,
        kind: plan.kind,
        channel,
        recipient,
        sessionStartsAt: session.plannedAt,
        dueAt: plan.dueAt,
        nextAttemptAt: plan.dueAt,
        createdAt: session.bookedAt,
      } as const;
      if (plan.status === 'skipped') {
        await reminders.insert(tx, { ...base, status: 'skipped', statusReason: plan.reason });
        continue;
      }
      if (plan.dueAt.getTime() >= now.getTime()) {
        await reminders.insert(tx, { ...base, status: 'scheduled' });
        continue;
      }
      const token = randomBytes(32).toString('base64url');
      const template = plan.kind === 'booked' ? 'session_booked' : 'session_reminder';
      const personalisation = sessionPersonalisation({
        firstName: participant.preferredName ?? participant.givenName,
        workerFirstName: workerName.split(' ')[0] ?? workerName,
        startsAt: session.plannedAt,
        mode: session.mode,
        place: session.place,
        changeLink: null,
        ...(channel === 'email' ? { calendarLink: `/calendar/${token}.ics` } : {}),
      });
      const notificationId = randomUUID();
      await notifications.insert(tx, {
        id: notificationId,
        channel,
        recipient,
        template,
        personalisation: { ...personalisation, body: messagePreview(template, channel, personalisation) },
        status: 'outbox',
        providerReference: null,
        createdAt: plan.dueAt,
      });
      await reminders.insert(tx, {
        ...base,
        status: 'sent',
        attempts: 0,
        notificationId,
        sentAt: plan.dueAt,
        calendarTokenHash: channel === 'email' ? createHash('sha256').update(token).digest('hex') : null,
      });
    }
  }
}
