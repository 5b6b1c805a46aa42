/**
 * Session reminders (PRODUCT.md section 4): a confirmation when a session is booked and a
 * reminder before it, by text or email as the participant prefers, only at the hours they say
 * are safe. This service plans the rows of session_reminders in the booking's transaction and
 * cancels them in the recording's; ReminderDeliveryService sends them. Due-ness is decided by
 * the application's clock.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { planReminders } from './reminder-schedule.ts';
import type { ReminderRepository } from './reminder.repository.ts';
import { REASON_SETTINGS_CHANGED, recipientFor, windowOf, type ReminderSettings } from './reminder-rules.ts';

export class ReminderSchedulingService {
  private readonly reminders: ReminderRepository;
  private readonly clock: Clock;
  private readonly settings: Pick<ReminderSettings, 'hoursBefore'>;

  constructor(reminders: ReminderRepository, clock: Clock, settings: Pick<ReminderSettings, 'hoursBefore'>) {
    this.reminders = reminders;
    this.clock = clock;
    this.settings = settings;
  }

  /** Plans the confirmation and the reminder of a session just booked, in the booking's transaction. */
  async scheduleForSession(tx: Db, sessionId: string): Promise<void> {
    await this.planSession(tx, sessionId, { confirm: true });
  }

  /** The participant's preferences changed: re-plans the messages of sessions still to come. */
  async replanUpcoming(tx: Db, participantId: string): Promise<void> {
    for (const sessionId of await this.reminders.plannedSessionIds(tx, participantId, this.clock.now())) {
      await this.planSession(tx, sessionId, { confirm: false });
    }
  }

  /**
   * (Re)plans a session's messages from the participant's current preferences. A message
   * already sent (or being sent) is left alone; one not sent yet is changed in place, since
   * there is one row per session, kind and start time.
   */
  private async planSession(tx: Db, sessionId: string, options: { confirm: boolean }): Promise<void> {
    const context = await this.reminders.messageContext(tx, sessionId);
    if (context?.session.status !== 'planned') return;
    const now = this.clock.now();
    const { participant, session } = context;
    const existing = (await this.reminders.forSession(tx, sessionId)).filter(
      (row) => row.sessionStartsAt.getTime() === session.plannedAt.getTime(),
    );
    const recipient = recipientFor(participant, participant.reminderChannel);
    const channel = participant.reminderChannel;
    for (const plan of planReminders({
      now,
      sessionStartsAt: session.plannedAt,
      hoursBefore: this.settings.hoursBefore,
      window: windowOf(participant),
    })) {
      const row = existing.find((r) => r.kind === plan.kind);
      const open = row && ['scheduled', 'cancelled', 'skipped'].includes(row.status);
      if (row && !open) continue;
      if (channel === 'none' || !recipient) {
        if (row?.status === 'scheduled') {
          await this.reminders.replan(tx, row.id, {
            status: 'cancelled',
            statusReason: REASON_SETTINGS_CHANGED,
            cancelledAt: now,
          });
        }
        continue;
      }
      // A confirmation goes when a session is booked, not when reminders are switched on later.
      if (plan.kind === 'booked' && !options.confirm && row?.status !== 'scheduled') continue;
      const planned = {
        channel,
        recipient,
        dueAt: plan.dueAt,
        nextAttemptAt: plan.dueAt,
        status: plan.status,
        statusReason: plan.status === 'skipped' ? plan.reason : null,
        attempts: 0,
        lastError: null,
        cancelledAt: null,
      };
      if (row) await this.reminders.replan(tx, row.id, planned);
      else {
        await this.reminders.insert(tx, {
          id: randomUUID(),
          sessionId,
          participantId: participant.id,
          kind: plan.kind,
          sessionStartsAt: session.plannedAt,
          createdAt: now,
          ...planned,
        });
      }
    }
  }
}
