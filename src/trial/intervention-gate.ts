/**
 * The intervention withheld from a trial participant's record (`participants.intervention_withheld`):
 * the control group's from the moment their record is linked, and an intervention group
 * member's from the moment they withdraw, whichever comes first of linking and withdrawal.
 *
 * While withheld, the rest of the service offers them nothing of the programme: they are not on
 * the waiting list, nobody is allocated to them, no session is booked and no message about a
 * session is sent (`allocation.service.ts`, `sessions.service.ts`, the reminder job's last
 * check, `participant.repository.ts`'s waiting list). The control group's is enforced by the
 * database too (migration 2026-12-05-014). A withdrawal's effects are in the withdrawal's own
 * transaction: the person's unsent reminders cancelled, and their peer support worker told (an
 * email naming nobody; their participant page says who and why).
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { Logger } from '../platform/logger.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import { firstName } from '../reminders/reminder-rules.ts';
import type { RandomisationRepository, RandomisationRow } from './randomisation.repository.ts';
import type { TrialParticipantsRepository } from './trial-participants.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

/** Why a reminder was cancelled, in the reminder's row. */
export const REMINDER_CANCELLED_WITHDRAWN = 'withdrew from the trial intervention';
export const WITHDRAWAL_NOTICE_SOURCE = 'trial-intervention-withdrawn';

export class InterventionGate {
  private readonly repository: TrialParticipantsRepository;
  private readonly randomisations: RandomisationRepository;
  private readonly outbox: MessageOutbox;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly publicUrl: string | undefined;
  private readonly log: Logger;

  constructor(
    repositories: { trialParticipants: TrialParticipantsRepository; randomisations: RandomisationRepository },
    outbox: MessageOutbox,
    audit: AuditService,
    clock: Clock,
    publicUrl: string | undefined,
    log: Logger,
  ) {
    this.repository = repositories.trialParticipants;
    this.randomisations = repositories.randomisations;
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.log = log;
  }

  /**
   * After the withdrawal's transaction: the worker's email sent now rather than at the outbox's
   * next minute (a failure is retried there; the participant's page says it either way).
   */
  async sendNow(): Promise<void> {
    await this.outbox.dispatchDue(5).catch((error: unknown) => {
      this.log.error({ err: error }, 'could not email the worker about a withdrawal from the trial yet');
    });
  }

  /**
   * After a withdrawal of any scope (each includes the intervention), in its transaction: a
   * linked intervention group member's programme stops. Nothing to do before they are linked
   * (linking applies it) or for the control group (theirs is withheld already).
   */
  async afterWithdrawal(
    tx: Db,
    ctx: StaffContext,
    consentId: string,
    withdrawal: { id: string; withdrawnOn: string },
  ): Promise<void> {
    const randomisation = await this.randomisations.forConsent(tx, consentId);
    if (!randomisation?.participantId || randomisation.arm !== 'intervention') return;
    await this.stopIntervention(tx, ctx, randomisation, randomisation.participantId, withdrawal);
  }

  /** Linking a randomised person who already withdrew: their programme stops as it would have. */
  async stopIntervention(
    tx: Db,
    ctx: StaffContext,
    randomisation: RandomisationRow,
    participantId: string,
    withdrawal: { id: string; withdrawnOn: string },
  ): Promise<void> {
    await this.repository.withhold(tx, participantId, 'trial_withdrawn', withdrawal.withdrawnOn);
    const cancelled = await this.repository.cancelScheduledReminders(
      tx,
      participantId,
      this.clock.now(),
      REMINDER_CANCELLED_WITHDRAWN,
    );
    const worker = await this.repository.currentWorker(tx, participantId);
    await this.audit.record(tx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'participant.intervention_withheld',
      entityType: 'participant',
      entityId: participantId,
      detail: {
        reason: 'trial_withdrawn',
        studyId: randomisation.studyId,
        remindersCancelled: cancelled,
        workerTold: worker !== undefined,
      },
    });
    if (!worker) return;
    const personalisation = {
      worker_first_name: firstName(worker.fullName),
      caseload_link: `${this.publicUrl ?? ''}/participants/${participantId}`,
    };
    await this.outbox.enqueue(tx, {
      channel: 'email',
      to: worker.email,
      template: 'trial_intervention_withdrawn',
      personalisation,
      preview:
        `Hello ${personalisation.worker_first_name}. Someone you support has withdrawn from peer support in the research study. ` +
        `Their sessions will not go ahead and they will get no more reminders. Please end their programme: ${personalisation.caseload_link}`,
      source: { kind: WITHDRAWAL_NOTICE_SOURCE, id: withdrawal.id },
      safety: true,
      trustId: worker.trustId,
    });
  }
}
