/**
 * Sharing the end-of-programme summary, with the participant's recorded consent: the crisis team
 * reads it in Greenleaf; a care coordinator or GP gets it by email at a secure NHS address,
 * through the message outbox.
 */
import type { ErrorLog } from '../platform/logger.ts';
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { ParticipantRepository } from '../participants/participant.repository.ts';
import { participantFor } from '../participants/participant.service.ts';
import type { ShareInput, ShareRecipient } from './ending.form.ts';
import type { EndingRepository, EndingShareRow } from './ending.repository.ts';
import { summaryEmailPreview, summaryText, type EndingSummary } from './ending.view-model.ts';
import type { EndingSummaryService } from './ending-summary.service.ts';

type StaffContext = RequestContext & { actor: StaffActor };

/** The outbox's name for an end-of-programme summary emailed to a care team. */
export const ENDING_SHARE_SOURCE = 'ending-share';

export interface SharePage {
  summary: EndingSummary;
  consented: boolean;
  alreadySharedWithCrisisTeam: boolean;
  /** Their GP practice and care coordinator as the referral gave them: where the form starts. */
  careContacts: {
    gpName: string;
    gpEmail: string;
    careCoordinatorName: string;
    careCoordinatorEmail: string;
  };
}

/** One token per recipient from the form's token, so a resubmitted form sends nobody twice. */
function recipientToken(formToken: string, recipient: ShareRecipient['kind']): string {
  const hex = createHash('sha256').update(`${formToken}:${recipient}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export class EndingShareService {
  private readonly db: Db;
  private readonly participants: ParticipantRepository;
  private readonly endings: EndingRepository;
  private readonly summaries: Pick<EndingSummaryService, 'summaryOf'>;
  private readonly outbox: MessageOutbox;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly log: ErrorLog;

  constructor(
    db: Db,
    participants: ParticipantRepository,
    endings: EndingRepository,
    summaries: Pick<EndingSummaryService, 'summaryOf'>,
    outbox: MessageOutbox,
    audit: AuditService,
    clock: Clock,
    log: ErrorLog,
  ) {
    this.db = db;
    this.participants = participants;
    this.endings = endings;
    this.summaries = summaries;
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.log = log;
    // The email went: the share shows as sent. Not delivered after every try, it stays "not
    // sent" on the summary and the coordinator sees it among the messages not delivered.
    outbox.onOutcome(ENDING_SHARE_SOURCE, async (tx, message, outcome) => {
      if (outcome === 'sent') await this.endings.setShareNotification(tx, message.sourceId, message.id);
    });
  }

  /** The participant, if this actor may share their summary; anyone else gets "not found". */
  private participantFor(ctx: StaffContext, db: Db, participantId: string) {
    return participantFor(this.participants, db, ctx.actor, participantId, 'ending.share');
  }

  async sharePage(ctx: StaffContext, participantId: string): Promise<SharePage> {
    const participant = await this.participantFor(ctx, this.db, participantId);
    const [summary, alreadySharedWithCrisisTeam] = await Promise.all([
      this.summaries.summaryOf(this.db, participant),
      this.endings.sharedWithCrisisTeam(this.db, participantId),
    ]);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'ending.viewed',
      entityType: 'programme_ending',
      entityId: participantId,
      detail: { page: 'share' },
    });
    return {
      summary,
      consented: summary.shareConsent === 'yes',
      alreadySharedWithCrisisTeam,
      careContacts: {
        gpName: participant.gpPracticeName ?? '',
        gpEmail: participant.gpPracticeEmail ?? '',
        careCoordinatorName: participant.careCoordinatorName ?? '',
        careCoordinatorEmail: participant.careCoordinatorEmail ?? '',
      },
    };
  }

  /**
   * Shares the summary, with the participant's recorded consent: the crisis team reads it in
   * Greenleaf; a care coordinator or GP gets it by email at a secure NHS address. Each recipient
   * is recorded (one row per form and recipient) with its email put in the message outbox in the
   * same transaction, so a form sent twice, or twice at once, emails each person once, and a
   * crash after saving never loses the email (the outbox sends it, retrying). Returns whether
   * anything new was shared.
   */
  async share(ctx: StaffContext, participantId: string, input: ShareInput): Promise<{ duplicate: boolean }> {
    const tokens = new Map(
      input.recipients.map((r) => [r.kind, recipientToken(input.submissionToken, r.kind)]),
    );
    // Asked first, so a resubmitted form says nothing to anyone who may not share.
    await this.participantFor(ctx, this.db, participantId);
    const done = await this.endings.sharesByTokens(this.db, [...tokens.values()]);
    if (done.some((share) => share.participantId !== participantId)) throw new NotFoundError('participant');
    const doneKinds = new Set(done.map((share) => share.recipientKind));
    const pending = input.recipients.filter((r) => !doneKinds.has(r.kind));
    if (pending.length === 0) return { duplicate: true };

    let emailing = false;
    try {
      emailing = await this.db.transaction(async (tx) => {
        await this.participants.lockForUpdate(tx, participantId);
        const participant = await this.participantFor(ctx, tx, participantId);
        const ending = await this.endings.find(tx, participantId);
        if (!ending) throw new NotFoundError('ending');
        if (ending.shareConsent !== 'yes') {
          throw new ValidationError({
            recipients: 'Record that they agreed to share the summary before sending it to anyone',
          });
        }
        const now = this.clock.now();
        // Read only when someone is emailed (a share with the crisis team alone needs no text).
        let summary: EndingSummary | undefined;
        let emails = 0;
        for (const recipient of pending) {
          const share: EndingShareRow = {
            id: randomUUID(),
            participantId,
            recipientKind: recipient.kind,
            recipientName:
              recipient.kind === 'crisis_team' ? participant.crisisTeamName : (recipient.name ?? ''),
            recipientEmail: recipient.email ?? '',
            notificationId: null,
            sharedBy: ctx.actor.id,
            sharedAt: now,
            submissionToken: tokens.get(recipient.kind) ?? randomUUID(),
          };
          await this.endings.insertShare(tx, share);
          await this.auditShare(tx, ctx, share);
          // The crisis team reads it in Greenleaf; the others are emailed.
          if (recipient.kind === 'crisis_team' || !recipient.email) continue;
          summary ??= await this.summaries.summaryOf(tx, participant);
          await this.outbox.enqueue(tx, {
            channel: 'email',
            to: recipient.email,
            template: 'ending_summary',
            personalisation: {
              recipient_name: share.recipientName,
              participant_name: summary.name,
              summary: summaryText(summary),
            },
            preview: summaryEmailPreview(share.recipientName, summary),
            source: { kind: ENDING_SHARE_SOURCE, id: share.id },
            trustId: participant.trustId,
          });
          emails += 1;
        }
        return emails > 0;
      });
    } catch (error) {
      // The same form racing itself: the other copy is sending it.
      if (isUniqueViolation(error, 'programme_ending_shares_submission_token_key'))
        return { duplicate: true };
      throw error;
    }
    // Sent now rather than at the outbox's next minute; a failure is retried from there.
    if (emailing) {
      await this.outbox.dispatchDue(5).catch((error: unknown) => {
        this.log.error({ err: error }, 'could not send the end-of-programme summary yet');
      });
    }
    return { duplicate: false };
  }

  private async auditShare(tx: Db, ctx: StaffContext, share: EndingShareRow): Promise<void> {
    // The kind of recipient only: never their name or address.
    await this.audit.record(tx, {
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'ending.shared',
      entityType: 'programme_ending',
      entityId: share.participantId,
      detail: { recipientKind: share.recipientKind, shareId: share.id },
    });
  }
}
