/**
 * Sends the messages planned in session_reminders (the 'reminders.send-due' job) and asks the
 * provider what became of them ('reminders.check-delivery'). A due row is checked (the session
 * or the preferences may have changed) and its message put in the message outbox in ONE
 * transaction, the row staying 'sending' until the outbox reports back (`recordOutcome`): sent,
 * retried with back-off, or not delivered after maxAttempts. So a crash at any point neither
 * loses a reminder nor sends it twice (the outbox checks by reference before any resend).
 * Due-ness is decided by the application's clock, never the database's, so tests move time by hand.
 */
import { randomBytes } from 'node:crypto';
import { REMINDER_CANCELLED_WITHDRAWN } from '../trial/intervention-gate.ts';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { NotificationSender } from '../platform/notifications/notification-sender.ts';
import type { MessageOutbox, OutboxOutcome } from '../platform/notifications/message-outbox.ts';
import type { OutboxRow } from '../platform/notifications/message-outbox.repository.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { earliestSafeAtOrAfter, isSafe, OUTSIDE_SAFE_TIMES } from './reminder-schedule.ts';
import { messagePreview, sessionPersonalisation, type SessionMessageTemplate } from './message-text.ts';
import type { MessageContext, ReminderRepository, ReminderRow } from './reminder.repository.ts';
import {
  firstName,
  REASON_CANCELLED,
  REASON_MOVED,
  REASON_SETTINGS_CHANGED,
  recipientFor,
  tokenHash,
  windowOf,
  type ReminderSettings,
} from './reminder-rules.ts';

const REASON_STARTED = 'session already started';
export const REMINDER_SOURCE = 'reminder';
/** How long after sending the provider is asked whether a message arrived, and how often. */
const DELIVERY_CHECK_DAYS = 3;
const DELIVERY_CHECK_EVERY_MS = 10 * 60_000;

const TEMPLATES: Record<ReminderRow['kind'], SessionMessageTemplate> = {
  booked: 'session_booked',
  upcoming: 'session_reminder',
};

export class ReminderDeliveryService {
  private readonly db: Db;
  private readonly reminders: ReminderRepository;
  private readonly outbox: MessageOutbox;
  private readonly sender: NotificationSender;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: ReminderSettings;

  constructor(
    db: Db,
    reminders: ReminderRepository,
    outbox: MessageOutbox,
    sender: NotificationSender,
    audit: AuditService,
    clock: Clock,
    settings: ReminderSettings,
  ) {
    this.db = db;
    this.reminders = reminders;
    this.outbox = outbox;
    this.sender = sender;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
    outbox.onOutcome(REMINDER_SOURCE, (tx, message, outcome) => this.recordOutcome(tx, message, outcome));
  }

  /**
   * Puts every message due by the app clock's now in the outbox, then sends what the outbox
   * holds. Safe to run twice at once, or on several instances: rows are claimed FOR UPDATE
   * SKIP LOCKED in the transaction that enqueues their message.
   */
  async sendDue(): Promise<{ sent: number; failed: number; retrying: number }> {
    for (let batch = 0; batch < 20; batch++) {
      const now = this.clock.now();
      const claimed = await this.db.transaction(async (tx) => {
        const rows = await this.reminders.claimDue(tx, now, 50);
        for (const row of rows) await this.enqueueClaimed(tx, row);
        return rows.length;
      });
      if (claimed === 0) break;
    }
    const dispatched = await this.outbox.dispatchDue();
    return { sent: dispatched.sent, failed: dispatched.not_delivered, retrying: dispatched.retrying };
  }

  /** Why a claimed message must not go now, read fresh: the session or the preferences changed. */
  private staleReason(row: ReminderRow, context: MessageContext | undefined): string | null {
    if (!context) return REASON_CANCELLED;
    const { session, participant } = context;
    if (session.status === 'rescheduled') return REASON_MOVED;
    if (session.status !== 'planned') return REASON_CANCELLED;
    if (context.programmeEnded) return 'programme ended';
    // Checked in the claiming transaction, so a withdrawal recorded a moment ago still stops it.
    if (context.interventionWithheld) return REMINDER_CANCELLED_WITHDRAWN;
    if (session.plannedAt.getTime() !== row.sessionStartsAt.getTime()) return REASON_MOVED;
    if (participant.reminderChannel !== row.channel) return REASON_SETTINGS_CHANGED;
    if (recipientFor(participant, row.channel) !== row.recipient) return REASON_SETTINGS_CHANGED;
    return null;
  }

  /** Checks a claimed row afresh and enqueues its message, or ends it; in the claiming transaction. */
  private async enqueueClaimed(tx: Db, row: ReminderRow): Promise<void> {
    const context = await this.reminders.messageContext(tx, row.sessionId);
    const now = this.clock.now();
    const stale = this.staleReason(row, context);
    if (stale || !context) {
      await this.reminders.finishClaim(tx, row.id, {
        status: 'cancelled',
        statusReason: stale ?? REASON_CANCELLED,
        cancelledAt: now,
      });
      return;
    }
    const { session, participant } = context;
    if (now.getTime() >= session.plannedAt.getTime()) {
      await this.reminders.finishClaim(tx, row.id, { status: 'skipped', statusReason: REASON_STARTED });
      return;
    }
    // A job that ran late may land outside the safe hours: wait for them.
    const window = windowOf(participant);
    if (!isSafe(now, window)) {
      const next = earliestSafeAtOrAfter(now, window);
      await this.reminders.finishClaim(
        tx,
        row.id,
        next.getTime() < session.plannedAt.getTime()
          ? { status: 'scheduled', nextAttemptAt: next }
          : { status: 'skipped', statusReason: OUTSIDE_SAFE_TIMES },
      );
      return;
    }

    let calendarLink: string | undefined;
    if (row.channel === 'email') {
      // Only the token's hash is kept; the link in this email is the one way to the file.
      const token = randomBytes(32).toString('base64url');
      await this.reminders.setCalendarTokenHash(tx, row.id, tokenHash(token));
      calendarLink = `${this.settings.publicUrl ?? ''}/calendar/${token}.ics`;
    }
    const template = TEMPLATES[row.kind];
    const personalisation = sessionPersonalisation({
      firstName: participant.preferredName ?? participant.givenName,
      workerFirstName: firstName(context.workerFullName),
      startsAt: session.plannedAt,
      mode: session.mode,
      place: session.place,
      changeLink: this.settings.publicUrl ? `${this.settings.publicUrl}/me` : null,
      ...(calendarLink === undefined ? {} : { calendarLink }),
    });
    await this.outbox.enqueue(tx, {
      channel: row.channel,
      to: row.recipient,
      template,
      personalisation: { ...personalisation },
      preview: messagePreview(template, row.channel, personalisation),
      source: { kind: REMINDER_SOURCE, id: row.id },
      // A reminder is no use once the session has started.
      expiresAt: session.plannedAt,
    });
  }

  /** What the outbox reports about a reminder's message, recorded on the reminder in its transaction. */
  private async recordOutcome(tx: Db, message: OutboxRow, outcome: OutboxOutcome): Promise<void> {
    const row = await this.reminders.findById(tx, message.sourceId);
    if (!row) return;
    const attempts = message.attempts;
    switch (outcome) {
      case 'retrying':
        await this.reminders.finishClaim(tx, row.id, {
          attempts,
          lastError: message.lastError,
          nextAttemptAt: message.nextAttemptAt,
        });
        return;
      case 'expired':
        await this.reminders.finishClaim(tx, row.id, { status: 'skipped', statusReason: REASON_STARTED });
        return;
      case 'sent':
        await this.reminders.finishClaim(tx, row.id, {
          status: 'sent',
          attempts,
          notificationId: message.id,
          providerReference: message.providerReference,
          sentAt: this.clock.now(),
          lastError: null,
        });
        await this.audit.record(tx, {
          actor: { kind: 'system' },
          ip: null,
          action: 'reminder.sent',
          entityType: 'session_reminder',
          entityId: row.id,
          detail: { sessionId: row.sessionId, kind: row.kind, channel: row.channel, attempts },
        });
        return;
      case 'not_delivered':
        await this.reminders.finishClaim(tx, row.id, {
          status: 'failed',
          attempts,
          lastError: message.lastError,
          statusReason: `not accepted by the text and email service after ${String(attempts)} tries`,
        });
        await this.audit.record(tx, {
          actor: { kind: 'system' },
          ip: null,
          action: 'reminder.failed',
          entityType: 'session_reminder',
          entityId: row.id,
          detail: { sessionId: row.sessionId, kind: row.kind, channel: row.channel, attempts },
        });
        return;
    }
  }

  /** Asks the provider what became of recent messages and records delivered or failed. */
  async checkDelivery(): Promise<void> {
    const now = this.clock.now();
    const rows = await this.reminders.awaitingDelivery(
      this.db,
      new Date(now.getTime() - DELIVERY_CHECK_DAYS * 86_400_000),
      new Date(now.getTime() - DELIVERY_CHECK_EVERY_MS),
      200,
    );
    for (const row of rows) {
      if (!row.notificationId) continue;
      let status;
      try {
        status = await this.sender.deliveryStatus(row.notificationId);
      } catch {
        // The provider did not answer: ask again next time.
        continue;
      }
      const checked = this.clock.now();
      if (status === 'delivered') {
        await this.reminders.recordDelivery(this.db, row.id, {
          status: 'delivered',
          statusCheckedAt: checked,
        });
      } else if (status === 'failed') {
        await this.reminders.recordDelivery(this.db, row.id, {
          status: 'failed',
          statusReason: 'the phone or inbox did not accept it',
          statusCheckedAt: checked,
        });
      } else {
        await this.reminders.recordDelivery(this.db, row.id, { statusCheckedAt: checked });
      }
    }
  }
}
