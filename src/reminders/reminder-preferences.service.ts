/**
 * How and when a participant is reminded (PRODUCT.md section 4): the preferences page for the
 * participant and their worker, saving a change (which re-plans the messages still to come),
 * and the reminder panel on the participant's summary page.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext } from '../policy/actor.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor, participantResource } from '../participants/participant.service.ts';
import type { ReminderPreferences, ReminderRepository } from './reminder.repository.ts';
import type { PreferencesInput } from './reminders.form.ts';
import { reminderPanelView, type PreferencesPage, type ReminderPanelView } from './reminders.view-model.ts';
import type { ReminderSchedulingService } from './reminder-scheduling.service.ts';

type Ctx = RequestContext;

export class ReminderPreferencesService {
  private readonly db: Db;
  private readonly reminders: ReminderRepository;
  private readonly participants: ParticipantRepository;
  private readonly scheduling: Pick<ReminderSchedulingService, 'replanUpcoming'>;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(
    db: Db,
    reminders: ReminderRepository,
    participants: ParticipantRepository,
    scheduling: Pick<ReminderSchedulingService, 'replanUpcoming'>,
    audit: AuditService,
    clock: Clock,
  ) {
    this.db = db;
    this.reminders = reminders;
    this.participants = participants;
    this.scheduling = scheduling;
    this.audit = audit;
    this.clock = clock;
  }

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
    const participant = await this.participantFor(ctx, this.db, participantId, 'reminders.manage');
    await this.audit.recordRead({
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
      await this.scheduling.replanUpcoming(tx, participantId);
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
   * shows them, read with the `db` the page gives (the page checks access and audits the view).
   */
  async panel(db: Db, ctx: Ctx, participant: ParticipantWithAllocation): Promise<ReminderPanelView> {
    const participantId = participant.id;
    // Messages about sessions from the last fortnight on: what the worker may want to check.
    const messages = await this.reminders.forParticipantSince(
      db,
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
}
