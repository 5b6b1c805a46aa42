/**
 * Sends the messages planned in session_reminders (the 'reminders.send-due' job) and asks the
 * provider what became of them ('reminders.check-delivery'). Each row is claimed, and the claim
 * committed, before the message is handed over: a message goes at most once, even with two
 * runs at once or several instances. A provider failure is retried with back-off (1, 2, 4, 8…
 * minutes) up to maxAttempts, then shown as failed. Due-ness is decided by the application's
 * clock, never the database's, so tests move time by hand.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { NotificationSender } from '../platform/notifications/notification-sender.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { earliestSafeAtOrAfter, isSafe, OUTSIDE_SAFE_TIMES, retryDelayMs } from './reminder-schedule.ts';
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
} from './reminders.service.ts';

export const REASON_INTERRUPTED = 'interrupted; not resent to avoid a duplicate';
const REASON_STARTED = 'session already started';
/** A claim older than this was interrupted: the process stopped between claiming and recording. */
const INTERRUPTED_AFTER_MS = 10 * 60_000;
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
  private readonly sender: NotificationSender;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: ReminderSettings;

  constructor(
    db: Db,
    reminders: ReminderRepository,
    sender: NotificationSender,
    audit: AuditService,
    clock: Clock,
    settings: ReminderSettings,
  ) {
    this.db = db;
    this.reminders = reminders;
    this.sender = sender;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
  }

  /**
   * Sends every message due by the app clock's now. Safe to run twice at once, or on several
   * instances: each row is claimed and committed before it is sent.
   */
  async sendDue(): Promise<{ sent: number; failed: number; retrying: number }> {
    const outcome = { sent: 0, failed: 0, retrying: 0 };
    await this.failInterrupted();
    for (let batch = 0; batch < 20; batch++) {
      const now = this.clock.now();
      const claimed = await this.db.transaction((tx) => this.reminders.claimDue(tx, now, 50));
      if (claimed.length === 0) break;
      for (const row of claimed) {
        const result = await this.sendClaimed(row);
        if (result !== 'other') outcome[result] += 1;
      }
    }
    return outcome;
  }

  private async failInterrupted(): Promise<void> {
    const before = new Date(this.clock.now().getTime() - INTERRUPTED_AFTER_MS);
    await this.db.transaction(async (tx) => {
      const rows = await this.reminders.failInterrupted(tx, before, REASON_INTERRUPTED);
      for (const row of rows) {
        await this.audit.record(tx, {
          actor: { kind: 'system' },
          ip: null,
          action: 'reminder.failed',
          entityType: 'session_reminder',
          entityId: row.id,
          detail: { sessionId: row.sessionId, reason: REASON_INTERRUPTED },
        });
      }
    });
  }

  /** Why a claimed message must not go now, read fresh: the session or the preferences changed. */
  private staleReason(row: ReminderRow, context: MessageContext | undefined): string | null {
    if (!context) return REASON_CANCELLED;
    const { session, participant } = context;
    if (session.status === 'rescheduled') return REASON_MOVED;
    if (session.status !== 'planned') return REASON_CANCELLED;
    if (context.programmeEnded) return 'programme ended';
    if (session.plannedAt.getTime() !== row.sessionStartsAt.getTime()) return REASON_MOVED;
    if (participant.reminderChannel !== row.channel) return REASON_SETTINGS_CHANGED;
    if (recipientFor(participant, row.channel) !== row.recipient) return REASON_SETTINGS_CHANGED;
    return null;
  }

  private async sendClaimed(row: ReminderRow): Promise<'sent' | 'failed' | 'retrying' | 'other'> {
    const context = await this.reminders.messageContext(this.db, row.sessionId);
    const now = this.clock.now();
    const stale = this.staleReason(row, context);
    if (stale || !context) {
      await this.reminders.finishClaim(this.db, row.id, {
        status: 'cancelled',
        statusReason: stale ?? REASON_CANCELLED,
        cancelledAt: now,
      });
      return 'other';
    }
    const { session, participant } = context;
    if (now.getTime() >= session.plannedAt.getTime()) {
      await this.reminders.finishClaim(this.db, row.id, { status: 'skipped', statusReason: REASON_STARTED });
      return 'other';
    }
    // A retry, or a job that ran late, may land outside the safe hours: wait for them.
    const window = windowOf(participant);
    if (!isSafe(now, window)) {
      const next = earliestSafeAtOrAfter(now, window);
      await this.reminders.finishClaim(
        this.db,
        row.id,
        next.getTime() < session.plannedAt.getTime()
          ? { status: 'scheduled', nextAttemptAt: next }
          : { status: 'skipped', statusReason: OUTSIDE_SAFE_TIMES },
      );
      return 'other';
    }

    let calendarLink: string | undefined;
    if (row.channel === 'email') {
      // Only the token's hash is kept; the link in this email is the one way to the file.
      const token = randomBytes(32).toString('base64url');
      await this.reminders.setCalendarTokenHash(this.db, row.id, tokenHash(token));
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

    let sent: { reference: string; providerReference?: string };
    try {
      sent = await this.sender.send({
        channel: row.channel,
        to: row.recipient,
        template,
        personalisation: { ...personalisation },
        preview: messagePreview(template, row.channel, personalisation),
      });
    } catch (error) {
      return this.recordFailure(row, error);
    }
    await this.db.transaction(async (tx) => {
      await this.reminders.finishClaim(tx, row.id, {
        status: 'sent',
        notificationId: sent.reference,
        providerReference: sent.providerReference ?? null,
        sentAt: this.clock.now(),
        lastError: null,
      });
      await this.audit.record(tx, {
        actor: { kind: 'system' },
        ip: null,
        action: 'reminder.sent',
        entityType: 'session_reminder',
        entityId: row.id,
        detail: {
          sessionId: row.sessionId,
          kind: row.kind,
          channel: row.channel,
          attempts: row.attempts + 1,
        },
      });
    });
    return 'sent';
  }

  private async recordFailure(row: ReminderRow, error: unknown): Promise<'failed' | 'retrying'> {
    const attempts = row.attempts + 1;
    const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const now = this.clock.now();
    if (attempts < this.settings.maxAttempts) {
      await this.reminders.finishClaim(this.db, row.id, {
        status: 'scheduled',
        attempts,
        lastError,
        nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)),
      });
      return 'retrying';
    }
    await this.db.transaction(async (tx) => {
      await this.reminders.finishClaim(tx, row.id, {
        status: 'failed',
        attempts,
        lastError,
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
    });
    return 'failed';
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
