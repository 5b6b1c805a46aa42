/**
 * The staff participant page: the record and every panel on it, read in one transaction with
 * one access check and the one `participant.viewed` audit event that covers them all.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { EndingSummaryService } from '../endings/ending-summary.service.ts';
import type { PlanSharingService } from '../plan/plan-sharing.service.ts';
import type { PlanTemplates } from '../plan/plan-template.ts';
import type { ReminderPreferencesService } from '../reminders/reminder-preferences.service.ts';
import type { ContactService } from '../contact/contact.service.ts';
import type { ConsentService } from '../consent/consent.service.ts';
import type { ChangeRequestsService } from '../sessions/change-requests.service.ts';
import type { WorkerConcernsService } from '../concerns/worker-concerns.service.ts';
import type { ParticipantRepository } from './participant.repository.ts';
import { participantFor, type ParticipantService } from './participant.service.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { participantPageView, type ParticipantPageView } from './participant-page.view-model.ts';

type StaffContext = RequestContext & { actor: StaffActor };

/** The services whose parts of the page are read in the page's transaction. */
export interface ParticipantPagePanels {
  participants: Pick<ParticipantService, 'summary'>;
  endingSummaries: Pick<EndingSummaryService, 'panel'>;
  planSharing: Pick<PlanSharingService, 'sharedSummaryFor'>;
  planTemplates: Pick<PlanTemplates, 'sectionTitle'>;
  reminderPreferences: Pick<ReminderPreferencesService, 'panel'>;
  contact: Pick<ContactService, 'panel'>;
  consent: Pick<ConsentService, 'panel'>;
  changeRequests: Pick<ChangeRequestsService, 'openForWorker'>;
  workerConcerns: Pick<WorkerConcernsService, 'participantPanel'>;
}

export class ParticipantPageService {
  private readonly db: Db;
  private readonly participants: Pick<ParticipantRepository, 'findWithAllocation'>;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly programme: { windowMonths: number };
  private readonly panels: ParticipantPagePanels;

  constructor(
    db: Db,
    participants: Pick<ParticipantRepository, 'findWithAllocation'>,
    audit: AuditService,
    clock: Clock,
    programme: { windowMonths: number },
    panels: ParticipantPagePanels,
  ) {
    this.db = db;
    this.participants = participants;
    this.audit = audit;
    this.clock = clock;
    this.programme = programme;
    this.panels = panels;
  }

  /** The page, for a participant the actor may see (`participant.view`); anyone else: not found. */
  async view(ctx: StaffContext, participantId: string): Promise<ParticipantPageView> {
    const { panels } = this;
    return this.db.transaction(async (tx) => {
      const participant = await participantFor(
        this.participants,
        tx,
        ctx.actor,
        participantId,
        'participant.view',
      );
      const summary = await panels.participants.summary(tx, ctx, participant);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'participant.viewed',
        entityType: 'participant',
        entityId: participantId,
        detail: { page: 'summary' },
      });
      const ending = await panels.endingSummaries.panel(tx, ctx, participant);
      return participantPageView({
        summary,
        // A programme that has ended takes no more sessions, whoever may book them.
        canBookSession: summary.canBookSession && !ending.ended,
        ending,
        plan: await panels.planSharing.sharedSummaryFor(tx, ctx, participant),
        reminders: await panels.reminderPreferences.panel(tx, ctx, participant),
        contact: await panels.contact.panel(tx, ctx, participant),
        consent: await panels.consent.panel(tx, ctx, participant),
        changeRequests: await panels.changeRequests.openForWorker(tx, ctx, participant),
        concernsPanel: await panels.workerConcerns.participantPanel(tx, ctx, participant),
        today: ukToday(this.clock.now()),
        windowMonths: this.programme.windowMonths,
        sectionTitle: (key) => panels.planTemplates.sectionTitle(key),
      });
    });
  }
}
