/**
 * Calendar files (ICS) for a planned session: behind the link in a reminder email (no sign-in,
 * the token is the key) and from the participant's own programme page. Each download is audited.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { ParticipantActor, RequestContext } from '../policy/actor.ts';
import type { ParticipantRepository } from '../participants/participant.repository.ts';
import { participantFor } from '../participants/participant.service.ts';
import { buildCalendar, calendarFilename } from './calendar.ts';
import type { MessageContext, ReminderRepository } from './reminder.repository.ts';
import { firstName, tokenHash, type ReminderSettings } from './reminder-rules.ts';

/** A calendar entry needs an end; sessions have no planned length. */
const CALENDAR_MINUTES = 60;

export interface CalendarFile {
  filename: string;
  body: string;
}

export class ReminderCalendarService {
  private readonly db: Db;
  private readonly reminders: ReminderRepository;
  private readonly participants: ParticipantRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: Pick<ReminderSettings, 'publicUrl'>;

  constructor(
    db: Db,
    reminders: ReminderRepository,
    participants: ParticipantRepository,
    audit: AuditService,
    clock: Clock,
    settings: Pick<ReminderSettings, 'publicUrl'>,
  ) {
    this.db = db;
    this.reminders = reminders;
    this.participants = participants;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
  }

  private calendarFor(context: MessageContext): CalendarFile {
    return {
      filename: calendarFilename(context.session.plannedAt),
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
    const row = await this.reminders.findByCalendarTokenHash(this.db, tokenHash(token));
    if (!row || row.status === 'cancelled') throw new NotFoundError('calendar');
    const context = await this.reminders.messageContext(this.db, row.sessionId);
    if (
      context?.session.status !== 'planned' ||
      context.session.plannedAt.getTime() !== row.sessionStartsAt.getTime()
    ) {
      throw new NotFoundError('calendar');
    }
    await this.audit.recordRead({
      actor: { kind: 'anonymous' },
      ip,
      action: 'calendar.downloaded',
      entityType: 'programme_session',
      entityId: row.sessionId,
      detail: { participantId: row.participantId, via: 'email link' },
    });
    return this.calendarFor(context);
  }

  /** A signed-in participant's own upcoming session as a calendar file. */
  async myCalendar(
    ctx: RequestContext & { actor: ParticipantActor },
    sessionId: string,
  ): Promise<CalendarFile> {
    const context = await this.reminders.messageContext(this.db, sessionId);
    if (context?.session.status !== 'planned') throw new NotFoundError('session');
    await participantFor(
      this.participants,
      this.db,
      ctx.actor,
      context.session.participantId,
      'participant.view',
    );
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'calendar.downloaded',
      entityType: 'programme_session',
      entityId: sessionId,
      detail: { participantId: context.session.participantId, via: 'my programme' },
    });
    return this.calendarFor(context);
  }
}
