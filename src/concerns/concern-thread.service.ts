/**
 * A concern's page and its thread: the crisis team's clinicians act on it there (with the
 * participant's and the worker's contact details), and the worker who raised it reads and
 * replies. A reply from someone else emails the worker through the message outbox. Every read
 * and change is audited in its own transaction; anyone the policy does not allow gets
 * "not found".
 */
import type { ErrorLog } from '../platform/logger.ts';
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { ParticipantRepository } from '../participants/participant.repository.ts';
import { participantResource } from '../participants/participant.service.ts';
import { formatNhsNumber } from '../participants/nhs-number.ts';
import { displayName } from '../participants/display-name.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import type { ConcernListRow, ConcernMessageRow, ConcernRepository } from './concern.repository.ts';
import { REPLY_SUBJECT, replyPersonalisation, replyPreview } from './reply-message.ts';
import {
  concernFor,
  concernParticipantName,
  concernResource,
  isOverdue,
  type StaffContext,
} from './concern-item.ts';

export interface ConcernPage {
  concern: ConcernListRow & { participantName: string; overdue: boolean };
  /** `isNew`: written by someone else since the viewer last opened the concern. */
  messages: (ConcernMessageRow & { writtenByName: string; isNew: boolean })[];
  canRespond: boolean;
  canMessage: boolean;
  /** The raiser of immediate danger who has not yet confirmed calling 999. */
  canConfirm999: boolean;
  /** For the team's clinicians, who act on it: how to reach the participant and the worker. */
  contact: ConcernContact | null;
  acknowledgedByName: string | null;
  closedByName: string | null;
}

export interface ConcernContact {
  participantName: string;
  /** Formatted, or null when not given. */
  nhsNumber: string | null;
  phones: { label: string; number: string; href: string }[];
  /** The participant's record, when this clinician may open it. */
  recordHref: string | null;
  worker: { name: string; email: string } | null;
}

const telHref = (number: string) => `tel:${number.replace(/[^0-9+]/g, '')}`;

export class ConcernThreadService {
  private readonly db: Db;
  private readonly concerns: ConcernRepository;
  private readonly participants: ParticipantRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly outbox: MessageOutbox;
  private readonly publicUrl: string | undefined;
  /** Where failed sends are reported. */
  private readonly log: ErrorLog;

  constructor(
    db: Db,
    concerns: ConcernRepository,
    participants: ParticipantRepository,
    audit: AuditService,
    clock: Clock,
    outbox: MessageOutbox,
    publicUrl: string | undefined,
    log: ErrorLog,
  ) {
    this.db = db;
    this.concerns = concerns;
    this.participants = participants;
    this.audit = audit;
    this.clock = clock;
    this.outbox = outbox;
    this.publicUrl = publicUrl;
    this.log = log;
  }

  async concernPage(ctx: StaffContext, id: string): Promise<ConcernPage> {
    return this.db.transaction(async (tx) => {
      const row = await concernFor(this.concerns, ctx, tx, id, 'concern.view');
      const lastRead = await this.concerns.lastRead(tx, id, ctx.actor.id);
      const messages = (await this.concerns.messages(tx, id)).map((message) => ({
        ...message,
        isNew: message.writtenBy !== ctx.actor.id && (!lastRead || message.writtenAt > lastRead),
      }));
      await this.concerns.markRead(tx, id, ctx.actor.id, this.clock.now());
      const canRespond = can(ctx.actor, 'concern.respond', concernResource(row));
      const contact = canRespond ? await this.contactFor(ctx, tx, row) : null;
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'concern.viewed',
        entityType: 'safety_concern',
        entityId: id,
        // Shown the participant's NHS number and phone numbers, and the worker's contact.
        detail: { participantId: row.participantId, contactShown: contact !== null },
      });
      const nameOf = async (staffId: string | null) =>
        staffId ? ((await this.concerns.staffName(tx, staffId)) ?? null) : null;
      return {
        concern: {
          ...row,
          participantName: concernParticipantName(row),
          overdue: isOverdue(row, this.clock.now()),
        },
        messages,
        canRespond,
        contact,
        canMessage: can(ctx.actor, 'concern.message', concernResource(row)),
        canConfirm999:
          row.urgency === 'immediate' &&
          !row.called999At &&
          can(ctx.actor, 'concern.confirm_999', concernResource(row)),
        acknowledgedByName: await nameOf(row.acknowledgedBy),
        closedByName: await nameOf(row.closedBy),
      };
    });
  }

  /** Who the participant is and how to reach them and the worker who raised it, for the clinician acting on it. */
  private async contactFor(ctx: StaffContext, tx: Db, row: ConcernListRow): Promise<ConcernContact | null> {
    const participant = await this.participants.findWithAllocation(tx, row.participantId);
    if (!participant) return null;
    const phones = [
      { label: 'Mobile', number: participant.mobile },
      { label: 'Phone', number: participant.phone },
    ].flatMap((phone) =>
      phone.number ? [{ ...phone, number: phone.number, href: telHref(phone.number) }] : [],
    );
    const worker = await this.concerns.staffContact(tx, row.raisedBy);
    return {
      participantName: displayName(participant),
      nhsNumber: participant.nhsNumber ? formatNhsNumber(participant.nhsNumber) : null,
      phones,
      recordHref: can(ctx.actor, 'participant.view', participantResource(participant))
        ? `/participants/${participant.id}`
        : null,
      worker: worker ? { name: worker.fullName, email: worker.email } : null,
    };
  }

  /** Adds a message to the thread once; a resubmitted form adds nothing more. */
  async addMessage(
    ctx: StaffContext,
    id: string,
    input: { submissionToken: string; body: string },
  ): Promise<void> {
    await concernFor(this.concerns, ctx, this.db, id, 'concern.message');
    const existing = await this.concerns.messageBySubmissionToken(this.db, input.submissionToken);
    if (existing) {
      if (existing.concernId !== id) throw new NotFoundError('concern');
      return;
    }
    let raiserToTell: boolean;
    try {
      raiserToTell = await this.db.transaction(async (tx) => {
        const row = await concernFor(this.concerns, ctx, tx, id, 'concern.message');
        const messageId = randomUUID();
        await this.concerns.insertMessage(tx, {
          id: messageId,
          concernId: id,
          writtenBy: ctx.actor.id,
          writtenAt: this.clock.now(),
          body: input.body,
          submissionToken: input.submissionToken,
        });
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'concern.message_added',
          entityType: 'safety_concern',
          entityId: id,
          detail: { participantId: row.participantId, messageId },
        });
        if (row.raisedBy === ctx.actor.id) return false;
        // The email to the worker is committed with the message, so a crash loses neither.
        return this.enqueueReplyEmail(tx, row.raisedBy, messageId);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'safety_concern_messages_submission_token_key')) return;
      throw error;
    }
    if (raiserToTell) {
      // Sent now rather than on the outbox's next minute; a failure is retried by the outbox.
      await this.outbox.dispatchDue(5).catch((error: unknown) => {
        this.log.error({ err: error }, 'could not send the email about a reply yet');
      });
    }
  }

  /**
   * Tells the worker who raised a concern that someone wrote in its thread: one email naming
   * nobody (reply-message.ts), through the message outbox (retried there; never lost). The reply
   * is shown as "New reply" and on the caseload either way.
   */
  private async enqueueReplyEmail(tx: Db, workerId: string, messageId: string): Promise<boolean> {
    const worker = await this.concerns.staffContact(tx, workerId);
    if (!worker) return false;
    const personalisation = replyPersonalisation(worker.fullName, this.publicUrl);
    await this.outbox.enqueue(tx, {
      channel: 'email',
      to: worker.email,
      template: 'concern_reply',
      personalisation: { ...personalisation },
      preview: `${REPLY_SUBJECT}\n\n${replyPreview(personalisation)}`,
      source: { kind: 'concern-reply', id: messageId },
    });
    return true;
  }
}
