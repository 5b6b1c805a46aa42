/**
 * Session reminders (PRODUCT.md section 4): a confirmation when a session is booked and a
 * reminder before it, by text or email as the participant prefers, only at the hours they say
 * are safe. This service plans the rows of session_reminders in the booking's transaction,
 * cancels them in the recording's, keeps the participant's preferences, and serves calendar
 * files; ReminderDeliveryService sends them. Due-ness is decided by the application's clock.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { ParticipantActor, RequestContext } from '../policy/actor.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor, participantResource } from '../participants/participant.service.ts';
import { planReminders, type SafeWindow } from './reminder-schedule.ts';
import { buildCalendar } from './calendar.ts';
import type {
  MessageContext,
  ReminderPreferences,
  ReminderRepository,
  ReminderRow,
} from './reminder.repository.ts';
import type { PreferencesInput } from './reminders.form.ts';
import { reminderPanelView, type ReminderPanelView } from './reminders.view-model.ts';

export interface ReminderSettings {
  hoursBefore: number;
  maxAttempts: number;
  /** The service's public address, for links in messages; without it, links are left out. */
  publicUrl: string | undefined;
}

export const REASON_CANCELLED = 'session cancelled';
export const REASON_MOVED = 'session moved';
export const REASON_SETTINGS_CHANGED = 'reminder settings changed';
/** A calendar entry needs an end; sessions have no planned length. */
const CALENDAR_MINUTES = 60;

export interface PreferencesPage {
  participantId: string;
  name: string;
  /** The formatted mobile and email, when recorded: each channel is offered only if it can reach them. */
  mobile: string | null;
  email: string | null;
  preferences: ReminderPreferences;
}

export interface ReminderPanel {
  participantId: string;
  preferences: ReminderPreferences;
  mobile: string | null;
  email: string | null;
  canManage: boolean;
  messages: ReminderRow[];
}

export interface CalendarFile {
  filename: string;
  body: string;
}

type Ctx = RequestContext;

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function firstName(fullName: string): string {
  return fullName.split(' ')[0] ?? fullName;
}

export function recipientFor(
  participant: { mobile: string | null; email: string | null },
  channel: 'sms' | 'email' | 'none',
): string | null {
  if (channel === 'sms') return participant.mobile;
  if (channel === 'email') return participant.email;
  return null;
}

export function windowOf(preferences: ReminderPreferences): SafeWindow {
  return { earliestHour: preferences.reminderEarliestHour, latestHour: preferences.reminderLatestHour };
}

export class RemindersService {
  private readonly db: Db;
  private readonly reminders: ReminderRepository;
  private readonly participants: ParticipantRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: Pick<ReminderSettings, 'hoursBefore' | 'publicUrl'>;

  constructor(
    db: Db,
    reminders: ReminderRepository,
    participants: ParticipantRepository,
    audit: AuditService,
    clock: Clock,
    settings: Pick<ReminderSettings, 'hoursBefore' | 'publicUrl'>,
  ) {
    this.db = db;
    this.reminders = reminders;
    this.participants = participants;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
  }

  // ------------------------------------------------------------------------------------------
  // Planning, in the caller's transaction

  /** Plans the confirmation and the reminder of a session just booked, in the booking's transaction. */
  async scheduleForSession(tx: Db, sessionId: string): Promise<void> {
    await this.planSession(tx, sessionId, { confirm: true });
  }

  /** The session no longer goes ahead as planned: messages not yet sent will not be. */
  async cancelForSession(tx: Db, sessionId: string, reason: string): Promise<void> {
    await this.reminders.cancelScheduledForSession(tx, sessionId, reason, this.clock.now());
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

  // ------------------------------------------------------------------------------------------
  // Preferences

  /** The participant, if this actor may do `action` for them; anyone else gets "not found". */
  private participantFor(
    ctx: Ctx,
    db: Db,
    participantId: string,
    action: 'reminders.manage' | 'participant.view',
  ): Promise<ParticipantWithAllocation> {
    return participantFor(this.participants, db, ctx.actor, participantId, action);
  }

  async preferencesPage(ctx: Ctx, participantId: string): Promise<PreferencesPage> {
    return this.db.transaction(async (tx) => {
      const participant = await this.participantFor(ctx, tx, participantId, 'reminders.manage');
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'participant.viewed',
        entityType: 'participant',
        entityId: participantId,
        detail: { page: 'reminders' },
      });
      return {
        participantId,
        name: `${participant.preferredName ?? participant.givenName} ${participant.familyName}`,
        mobile: participant.mobile,
        email: participant.email,
        preferences: {
          reminderChannel: participant.reminderChannel,
          reminderEarliestHour: participant.reminderEarliestHour,
          reminderLatestHour: participant.reminderLatestHour,
        },
      };
    });
  }

  /** Saves how and when to remind, and re-plans the messages of sessions still to come. */
  async updatePreferences(ctx: Ctx, participantId: string, input: PreferencesInput): Promise<void> {
    await this.db.transaction(async (tx) => {
      await this.participants.lockForUpdate(tx, participantId);
      const participant = await this.participantFor(ctx, tx, participantId, 'reminders.manage');
      if (input.channel === 'sms' && !participant.mobile) {
        throw new ValidationError({
          channel: 'There is no mobile number to text. Choose email or no reminders',
        });
      }
      if (input.channel === 'email' && !participant.email) {
        throw new ValidationError({
          channel: 'There is no email address to write to. Choose text message or no reminders',
        });
      }
      const preferences: ReminderPreferences = {
        reminderChannel: input.channel,
        reminderEarliestHour: input.earliestHour,
        reminderLatestHour: input.latestHour,
      };
      await this.reminders.updatePreferences(tx, participantId, preferences);
      for (const sessionId of await this.reminders.plannedSessionIds(tx, participantId, this.clock.now())) {
        await this.planSession(tx, sessionId, { confirm: false });
      }
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'reminders.preferences_updated',
        entityType: 'participant',
        entityId: participantId,
        detail: {
          channel: input.channel,
          previousChannel: participant.reminderChannel,
          earliestHour: input.earliestHour,
          latestHour: input.latestHour,
        },
      });
    });
  }

  /**
   * The reminder setting and the messages about a participant's sessions, as the summary page
   * shows them (the page's view is audited by the summary itself).
   */
  async panel(ctx: Ctx, participantId: string): Promise<ReminderPanelView> {
    const participant = await this.participantFor(ctx, this.db, participantId, 'participant.view');
    // Messages about sessions from the last fortnight on: what the worker may want to check.
    const messages = await this.reminders.forParticipantSince(
      this.db,
      participantId,
      new Date(this.clock.now().getTime() - 14 * 86_400_000),
    );
    return reminderPanelView({
      participantId,
      preferences: {
        reminderChannel: participant.reminderChannel,
        reminderEarliestHour: participant.reminderEarliestHour,
        reminderLatestHour: participant.reminderLatestHour,
      },
      mobile: participant.mobile,
      email: participant.email,
      canManage: can(ctx.actor, 'reminders.manage', participantResource(participant)),
      messages,
    });
  }

  // ------------------------------------------------------------------------------------------
  // Calendar files

  private calendarFor(context: MessageContext): CalendarFile {
    return {
      filename: `greenleaf-${context.session.plannedAt.toISOString().slice(0, 10)}.ics`,
      body: buildCalendar({
        sessionId: context.session.id,
        startsAt: context.session.plannedAt,
        durationMinutes: CALENDAR_MINUTES,
        workerFirstName: firstName(context.workerFullName),
        mode: context.session.mode,
        place: context.session.place,
        sequence: context.session.version - 1,
        stampedAt: this.clock.now(),
        changeLink: this.settings.publicUrl ? `${this.settings.publicUrl}/me` : null,
      }),
    };
  }

  /** The calendar file behind an email's link: no sign-in, the token is the key. */
  async calendarByToken(token: string, ip: string | null): Promise<CalendarFile> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) throw new NotFoundError('calendar');
    return this.db.transaction(async (tx) => {
      const row = await this.reminders.findByCalendarTokenHash(tx, tokenHash(token));
      if (!row || row.status === 'cancelled') throw new NotFoundError('calendar');
      const context = await this.reminders.messageContext(tx, row.sessionId);
      if (
        context?.session.status !== 'planned' ||
        context.session.plannedAt.getTime() !== row.sessionStartsAt.getTime()
      ) {
        throw new NotFoundError('calendar');
      }
      await this.audit.record(tx, {
        actor: { kind: 'anonymous' },
        ip,
        action: 'calendar.downloaded',
        entityType: 'programme_session',
        entityId: row.sessionId,
        detail: { participantId: row.participantId, via: 'email link' },
      });
      return this.calendarFor(context);
    });
  }

  /** A signed-in participant's own upcoming session as a calendar file. */
  async myCalendar(
    ctx: RequestContext & { actor: ParticipantActor },
    sessionId: string,
  ): Promise<CalendarFile> {
    return this.db.transaction(async (tx) => {
      const context = await this.reminders.messageContext(tx, sessionId);
      if (context?.session.status !== 'planned') throw new NotFoundError('session');
      await this.participantFor(ctx, tx, context.session.participantId, 'participant.view');
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'calendar.downloaded',
        entityType: 'programme_session',
        entityId: sessionId,
        detail: { participantId: context.session.participantId, via: 'my programme' },
      });
      return this.calendarFor(context);
    });
  }
}
