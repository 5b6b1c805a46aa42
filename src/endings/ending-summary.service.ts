/**
 * The end-of-programme summary (PRODUCT.md section 2, "Endings matter"): what it says, built once
 * for every reader; the staff page, the participant's own page in plain words, and the panel on
 * the participant's record. Every read of it is audited, its event in the log before the page
 * is shown.
 */
import type { Db } from '../platform/database/database.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, type Resource } from '../policy/policy.ts';
import type { ParticipantActor, RequestContext, StaffActor } from '../policy/actor.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantResource } from '../participants/participant.service.ts';
import { formatNhsNumber } from '../participants/nhs-number.ts';
import type { EndingRepository } from './ending.repository.ts';
import {
  endingReasonInSentence,
  endingReasonText,
  SHARE_CONSENT_LABELS,
  shareItem,
  type EndingSummary,
} from './ending.view-model.ts';
import type { EndingPlan } from './endings.service.ts';

type StaffContext = RequestContext & { actor: StaffActor };
type ParticipantContext = RequestContext & { actor: ParticipantActor };
type EndingResource = Extract<Resource, { type: 'ending' }>;

export interface SummaryPage {
  summary: EndingSummary;
  canChange: boolean;
  canShare: boolean;
}

/** What the participant's record page says about the ending. */
export interface EndingPanel {
  ended: { endedOn: string; reason: string } | null;
  canEnd: boolean;
  /** The summary's address, for those who may read it. */
  summaryHref: string | null;
  /** A clinician of the participant's crisis team, and the summary was shared with the team. */
  sharedWithYourTeam: boolean;
}

export class EndingSummaryService {
  private readonly db: Db;
  private readonly participants: ParticipantRepository;
  private readonly endings: EndingRepository;
  private readonly audit: AuditService;
  private readonly sessionCap: number;
  private readonly plan: EndingPlan;

  constructor(
    db: Db,
    participants: ParticipantRepository,
    endings: EndingRepository,
    audit: AuditService,
    sessionCap: number,
    plan: EndingPlan,
  ) {
    this.db = db;
    this.participants = participants;
    this.endings = endings;
    this.audit = audit;
    this.sessionCap = sessionCap;
    this.plan = plan;
  }

  private async endingResource(db: Db, participant: ParticipantWithAllocation): Promise<EndingResource> {
    return {
      type: 'ending',
      participantId: participant.id,
      trustId: participant.trustId,
      crisisTeamId: participant.crisisTeamId,
      allocatedWorkerId: participant.allocatedWorkerId,
      sharedWithCrisisTeam: await this.endings.sharedWithCrisisTeam(db, participant.id),
    };
  }

  /** Everything the summary says, read with the caller's `db` (the caller has checked access). */
  async summaryOf(db: Db, participant: ParticipantWithAllocation): Promise<EndingSummary> {
    const ending = await this.endings.findWithRecorder(db, participant.id);
    if (!ending) throw new NotFoundError('ending');
    const shares = await this.endings.shares(db, participant.id);
    return {
      participantId: participant.id,
      name: `${participant.givenName} ${participant.familyName}`,
      firstName: participant.preferredName ?? participant.givenName,
      dateOfBirth: participant.dateOfBirth,
      nhsNumber: participant.nhsNumber ? formatNhsNumber(participant.nhsNumber) : null,
      dischargedOn: participant.dischargedOn,
      crisisTeamName: participant.crisisTeamName,
      workerName: participant.allocatedWorkerName,
      endedOn: ending.endedOn,
      reason: endingReasonText(ending),
      sessionsAttended: ending.sessionsAttended,
      sessionCap: this.sessionCap,
      sections: ending.sections.map((key) => this.plan.templates.sectionTitle(key)),
      goals: await this.plan.goalsForSummary(db, participant.id),
      onwardSupport: ending.onwardSupport,
      message: ending.message,
      messageFrom: ending.recordedByName.split(' ')[0] ?? ending.recordedByName,
      shareConsent: ending.shareConsent,
      shareConsentText: SHARE_CONSENT_LABELS[ending.shareConsent],
      recordedByName: ending.recordedByName,
      recordedAt: ending.recordedAt,
      shares: shares.map(shareItem),
    };
  }

  /**
   * The summary, if this actor may read it (ending.view), read without a transaction; resolves
   * once the read event is in the audit log.
   */
  private async readSummary(
    ctx: RequestContext,
    participantId: string,
    page: string,
  ): Promise<{ participant: ParticipantWithAllocation; summary: EndingSummary }> {
    const participant = await this.participants.findWithAllocation(this.db, participantId);
    if (!participant || !can(ctx.actor, 'ending.view', await this.endingResource(this.db, participant))) {
      throw new NotFoundError('ending');
    }
    const summary = await this.summaryOf(this.db, participant);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'ending.viewed',
      entityType: 'programme_ending',
      entityId: participant.id,
      detail: { page },
    });
    return { participant, summary };
  }

  /** The end-of-programme summary for staff: ending.view, audited. */
  async summary(ctx: StaffContext, participantId: string): Promise<SummaryPage> {
    const { participant, summary } = await this.readSummary(ctx, participantId, 'summary');
    const resource = participantResource(participant);
    return {
      summary,
      canChange: can(ctx.actor, 'programme.end', resource),
      canShare: can(ctx.actor, 'ending.share', resource),
    };
  }

  /** A participant's own summary, in plain words. */
  async mySummary(ctx: ParticipantContext): Promise<EndingSummary> {
    return (await this.readSummary(ctx, ctx.actor.id, 'my summary')).summary;
  }

  /** When the signed-in participant's programme ended, if it has (for "My programme", which is audited). */
  async myEnding(ctx: ParticipantContext): Promise<{ endedOn: string } | null> {
    const ending = await this.endings.find(this.db, ctx.actor.id);
    return ending ? { endedOn: ending.endedOn } : null;
  }

  /**
   * What the participant's record page shows about the ending, read with the `db` the page
   * gives (the page has checked the participant may be seen, and audits the view itself).
   */
  async panel(db: Db, ctx: StaffContext, participant: ParticipantWithAllocation): Promise<EndingPanel> {
    const resource = participantResource(participant);
    const canEnd = can(ctx.actor, 'programme.end', resource);
    const participantId = participant.id;
    const ending = await this.endings.find(db, participantId);
    if (!ending) return { ended: null, canEnd, summaryHref: null, sharedWithYourTeam: false };
    const endingResource = await this.endingResource(db, participant);
    const canView = can(ctx.actor, 'ending.view', endingResource);
    const staffOfTeam = !can(ctx.actor, 'ending.view', { ...endingResource, sharedWithCrisisTeam: false });
    return {
      ended: { endedOn: ending.endedOn, reason: endingReasonInSentence(ending) },
      canEnd,
      summaryHref: canView ? `/participants/${participantId}/ending/summary` : null,
      // Those who read it only because it was shared with their team are told so.
      sharedWithYourTeam: canView && staffOfTeam,
    };
  }
}
