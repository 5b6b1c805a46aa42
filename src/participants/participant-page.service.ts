/**
 * The staff participant page: the record and every panel on it, after one access check, read
 * together without a transaction, with the one `participant.viewed` audit event that covers
 * them all. The event is written alongside the panels' reads, and the page is returned only once
 * it is in the log.
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
import type { EqualityService } from '../equality/equality.service.ts';
import type { ParticipantRepository } from './participant.repository.ts';
import { participantFor, type ParticipantService } from './participant.service.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { participantPageView, type ParticipantPageView } from './participant-page.view-model.ts';

type StaffContext = RequestContext & { actor: StaffActor };

/** The services that read the parts of the page, each with the `db` the page gives them. */
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
  equality: Pick<EqualityService, 'languagePanel'>;
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
    const participant = await participantFor(
      this.participants,
      this.db,
      ctx.actor,
      participantId,
      'participant.view',
    );
    // Each panel's statements go on connections of their own, and the read event joins the
    // next batch meanwhile: the page waits for all of them, the event included.
    const [summary, ending, plan, reminders, contact, consent, changeRequests, concernsPanel, language] =
      await Promise.all([
        panels.participants.summary(this.db, ctx, participant),
        panels.endingSummaries.panel(this.db, ctx, participant),
        panels.planSharing.sharedSummaryFor(this.db, ctx, participant),
        panels.reminderPreferences.panel(this.db, ctx, participant),
        panels.contact.panel(this.db, ctx, participant),
        panels.consent.panel(this.db, ctx, participant),
        panels.changeRequests.openForWorker(this.db, ctx, participant),
        panels.workerConcerns.participantPanel(this.db, ctx, participant),
        panels.equality.languagePanel(this.db, ctx, participant),
        this.audit.recordRead({
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'participant.viewed',
          entityType: 'participant',
          entityId: participantId,
          detail: { page: 'summary' },
        }),
      ]);
    return participantPageView({
      summary,
      // A programme that has ended takes no more sessions, whoever may book them.
      canBookSession: summary.canBookSession && !ending.ended,
      ending,
      plan,
      reminders,
      contact,
      consent,
      changeRequests,
      concernsPanel,
      language,
      today: ukToday(this.clock.now()),
      windowMonths: this.programme.windowMonths,
      sectionTitle: (key) => panels.planTemplates.sectionTitle(key),
    });
  }
}
