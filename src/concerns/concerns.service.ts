/**
 * Safety concerns and advice requests (PRODUCT.md section 5): a peer support worker raises one
 * about a participant; it lands in the duty inbox of the participant's crisis team; a clinician
 * of that team acknowledges it, records what was done and closes it. Every read and change is
 * audited in its own transaction; anyone the policy does not allow gets "not found".
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, type Resource } from '../policy/policy.ts';
import { hasRole, type RequestContext, type StaffActor } from '../policy/actor.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor, participantResource } from '../participants/participant.service.ts';
import { formatNhsNumber } from '../participants/nhs-number.ts';
import { latestConsent } from '../consent/consent.repository.ts';
import type { ProgrammeSessionRepository } from '../sessions/session.repository.ts';
import { displayName } from '../participants/display-name.ts';
import type { ConcernUrgency } from '../platform/database/schema.ts';
import { acknowledgeBy, type ConcernDeadlineSettings } from './deadlines.ts';
import {
  STATUS_TAGS,
  URGENCY_TAGS,
  type CloseInput,
  type ConcernKind,
  type RaiseInput,
} from './concern.form.ts';
import type { ConcernListRow, ConcernMessageRow, ConcernRepository } from './concern.repository.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import type {
  UndeliveredMessage,
  UndeliveredMessagesService,
} from '../messages/undelivered-messages.service.ts';
import { REPLY_SUBJECT, replyPersonalisation, replyPreview } from './reply-message.ts';

export interface ConcernsLogger {
  error(details: object, message: string): void;
}

type StaffContext = RequestContext & { actor: StaffActor };

const URGENCY_RANK: Record<ConcernUrgency, number> = { immediate: 0, urgent: 1, routine: 2 };
const CLOSED_SHOWN_DAYS = 30;
const DAY = 86_400_000;

/** One concern as lists show it. */
export interface ConcernItem {
  id: string;
  kind: ConcernKind;
  participantId: string;
  participantName: string;
  raisedByName: string;
  raisedAt: Date;
  urgency: ConcernUrgency;
  acknowledgeBy: Date;
  status: ConcernListRow['status'];
  /** Still open after its acknowledge-by time. */
  overdue: boolean;
  closedAt: Date | null;
  urgencyTag: { text: string; classes: string };
  statusTag: { text: string; classes: string };
  /** Someone else has written in its thread since the viewer last opened it (My concerns). */
  newReply: boolean;
}

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

export interface RaisePage {
  participant: ParticipantWithAllocation;
  name: string;
  /** The participant has not agreed to share information: a concern is shared anyway, and says so. */
  safetyOverride: boolean;
  /** The session it is raised from, when that session is theirs. */
  sessionId: string | null;
}

export interface ConcernsPanel {
  canRaise: boolean;
  concerns: ConcernItem[];
}

export function concernResource(
  row: Pick<ConcernListRow, 'trustId' | 'crisisTeamId' | 'participantId' | 'raisedBy'>,
): Resource {
  return {
    type: 'concern',
    trustId: row.trustId,
    crisisTeamId: row.crisisTeamId,
    participantId: row.participantId,
    raisedBy: row.raisedBy,
  };
}

export class ConcernsService {
  private readonly db: Db;
  private readonly concerns: ConcernRepository;
  private readonly participants: ParticipantRepository;
  private readonly sessions: Pick<ProgrammeSessionRepository, 'findById'>;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly deadlines: ConcernDeadlineSettings;
  private readonly outbox: MessageOutbox;
  private readonly undelivered: Pick<UndeliveredMessagesService, 'safetyForTeam'> | undefined;
  private readonly publicUrl: string | undefined;
  /** Where failed sends are reported; the app sets its own logger here (src/app.ts). */
  logger: ConcernsLogger | undefined;

  constructor(
    db: Db,
    concerns: ConcernRepository,
    participants: ParticipantRepository,
    sessions: Pick<ProgrammeSessionRepository, 'findById'>,
    audit: AuditService,
    clock: Clock,
    deadlines: ConcernDeadlineSettings,
    outbox: MessageOutbox,
    publicUrl: string | undefined,
    undelivered?: Pick<UndeliveredMessagesService, 'safetyForTeam'>,
  ) {
    this.undelivered = undelivered;
    this.outbox = outbox;
    this.publicUrl = publicUrl;
    this.db = db;
    this.concerns = concerns;
    this.participants = participants;
    this.sessions = sessions;
    this.audit = audit;
    this.clock = clock;
    this.deadlines = deadlines;
  }

  private item(row: ConcernListRow, newReply = false): ConcernItem {
    return {
      id: row.id,
      kind: row.kind,
      participantId: row.participantId,
      participantName: displayName({
        givenName: row.participantGivenName,
        familyName: row.participantFamilyName,
        preferredName: row.participantPreferredName,
      }),
      raisedByName: row.raisedByName,
      raisedAt: row.raisedAt,
      urgency: row.urgency,
      acknowledgeBy: row.acknowledgeBy,
      status: row.status,
      overdue: row.status === 'open' && this.clock.now() > row.acknowledgeBy,
      closedAt: row.closedAt,
      urgencyTag: URGENCY_TAGS[row.urgency],
      statusTag: STATUS_TAGS[row.status],
      newReply,
    };
  }

  private async sessionOf(
    db: Db,
    participantId: string,
    sessionId: string | undefined,
  ): Promise<string | null> {
    if (!sessionId) return null;
    const session = await this.sessions.findById(db, sessionId);
    return session?.participantId === participantId ? session.id : null;
  }

  async raisePage(ctx: StaffContext, participantId: string, sessionId?: string): Promise<RaisePage> {
    return this.db.transaction(async (tx) => {
      const participant = await participantFor(
        this.participants,
        tx,
        ctx.actor,
        participantId,
        'concern.raise',
      );
      const consent = (await latestConsent(tx, participantId))?.consent;
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'participant.viewed',
        entityType: 'participant',
        entityId: participantId,
        detail: { page: 'raise concern' },
      });
      return {
        participant,
        name: displayName(participant),
        safetyOverride: consent !== 'yes',
        sessionId: await this.sessionOf(tx, participantId, sessionId),
      };
    });
  }

  /**
   * Saves the concern once; a resubmitted form returns the first one's id. Immediate danger is
   * saved, audited and on the clock the moment it is sent, so the crisis team has it even if the
   * worker leaves the page to call 999; `awaiting999` says the "Call 999 now" step comes next.
   */
  async raise(
    ctx: StaffContext,
    participantId: string,
    input: RaiseInput,
    sessionId?: string,
  ): Promise<{ concernId: string; duplicate: boolean; awaiting999: boolean }> {
    await participantFor(this.participants, this.db, ctx.actor, participantId, 'concern.raise');
    const first = async () => {
      const existing = await this.concerns.findBySubmissionToken(this.db, input.submissionToken);
      if (!existing) return undefined;
      if (existing.participantId !== participantId || existing.raisedBy !== ctx.actor.id)
        throw new NotFoundError('participant');
      return {
        concernId: existing.id,
        duplicate: true,
        awaiting999: existing.urgency === 'immediate' && !existing.called999At,
      };
    };
    const earlier = await first();
    if (earlier) return earlier;
    const called999 = input.urgency === 'immediate' && input.called999;
    const concernId = randomUUID();
    try {
      await this.db.transaction(async (tx) => {
        const participant = await participantFor(
          this.participants,
          tx,
          ctx.actor,
          participantId,
          'concern.raise',
        );
        // Safety comes first: a concern reaches the crisis team whatever the participant chose.
        const consent = (await latestConsent(tx, participantId))?.consent;
        const safetyOverride = consent !== 'yes';
        const now = this.clock.now();
        await this.concerns.insert(tx, {
          id: concernId,
          kind: input.kind,
          participantId,
          crisisTeamId: participant.crisisTeamId,
          sessionId: await this.sessionOf(tx, participantId, sessionId),
          raisedBy: ctx.actor.id,
          raisedAt: now,
          urgency: input.urgency,
          whatHappened: input.whatHappened,
          // A form that already says "I have called 999" (a page open from before) keeps saying so.
          called999At: called999 ? now : null,
          participantKnows: input.participantKnows,
          safetyOverride,
          acknowledgeBy: acknowledgeBy(input.urgency, now, this.deadlines),
          status: 'open',
          version: 1,
          submissionToken: input.submissionToken,
        });
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'concern.raised',
          entityType: 'safety_concern',
          entityId: concernId,
          detail: { participantId, kind: input.kind, urgency: input.urgency, safetyOverride },
        });
      });
    } catch (error) {
      // Two copies of one form racing: the loser finds the winner's concern.
      if (isUniqueViolation(error, 'safety_concerns_submission_token_key')) {
        const winner = await first();
        if (winner) return winner;
      }
      throw error;
    }
    return { concernId, duplicate: false, awaiting999: input.urgency === 'immediate' && !called999 };
  }

  /** The "Call 999 now" step of a saved immediate concern: its raiser only. */
  async call999Page(
    ctx: StaffContext,
    id: string,
  ): Promise<{ concern: ConcernListRow; name: string; confirmed: boolean }> {
    return this.db.transaction(async (tx) => {
      const row = await this.concernFor(ctx, tx, id, 'concern.confirm_999');
      if (row.urgency !== 'immediate') throw new NotFoundError('concern');
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'concern.viewed',
        entityType: 'safety_concern',
        entityId: id,
        detail: { participantId: row.participantId, page: 'call 999' },
      });
      return { concern: row, name: this.item(row).participantName, confirmed: row.called999At !== null };
    });
  }

  /** Records "I have called 999" on the saved concern, once: a second confirmation changes nothing. */
  async confirm999(ctx: StaffContext, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await this.concernFor(ctx, tx, id, 'concern.confirm_999');
      if (row.urgency !== 'immediate') throw new NotFoundError('concern');
      const now = this.clock.now();
      if (!(await this.concerns.confirm999(tx, id, now))) return;
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'concern.called_999_confirmed',
        entityType: 'safety_concern',
        entityId: id,
        detail: {
          participantId: row.participantId,
          minutesAfterSending: Math.floor((now.getTime() - row.raisedAt.getTime()) / 60_000),
        },
      });
    });
  }

  /** The concern, if this actor may do `action` with it; anyone else gets "not found". */
  private async concernFor(
    ctx: StaffContext,
    db: Db,
    id: string,
    action: 'concern.view' | 'concern.respond' | 'concern.message' | 'concern.confirm_999',
  ): Promise<ConcernListRow> {
    const row = await this.concerns.findById(db, id);
    if (!row || !can(ctx.actor, action, concernResource(row))) throw new NotFoundError('concern');
    return row;
  }

  async concernPage(ctx: StaffContext, id: string): Promise<ConcernPage> {
    return this.db.transaction(async (tx) => {
      const row = await this.concernFor(ctx, tx, id, 'concern.view');
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
        concern: { ...row, participantName: this.item(row).participantName, overdue: this.item(row).overdue },
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

  async acknowledge(ctx: StaffContext, id: string, version: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await this.concernFor(ctx, tx, id, 'concern.respond');
      const now = this.clock.now();
      if (!(await this.concerns.acknowledge(tx, id, version, ctx.actor.id, now)))
        throw new ConflictError(
          'Someone else acknowledged or changed this concern while you were looking at it',
        );
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'concern.acknowledged',
        entityType: 'safety_concern',
        entityId: id,
        detail: { participantId: row.participantId, overdue: now > row.acknowledgeBy },
      });
    });
  }

  async close(ctx: StaffContext, id: string, input: CloseInput): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await this.concernFor(ctx, tx, id, 'concern.respond');
      const closed = await this.concerns.close(tx, id, input.version, {
        by: ctx.actor.id,
        at: this.clock.now(),
        action: input.action,
        note: input.note,
      });
      if (!closed)
        throw new ConflictError('Someone else closed or changed this concern while you were looking at it');
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'concern.closed',
        entityType: 'safety_concern',
        entityId: id,
        detail: { participantId: row.participantId, action: input.action, wasOpen: row.status === 'open' },
      });
    });
  }

  /** Adds a message to the thread once; a resubmitted form adds nothing more. */
  async addMessage(
    ctx: StaffContext,
    id: string,
    input: { submissionToken: string; body: string },
  ): Promise<void> {
    await this.concernFor(ctx, this.db, id, 'concern.message');
    const existing = await this.concerns.messageBySubmissionToken(this.db, input.submissionToken);
    if (existing) {
      if (existing.concernId !== id) throw new NotFoundError('concern');
      return;
    }
    let raiserToTell: boolean;
    try {
      raiserToTell = await this.db.transaction(async (tx) => {
        const row = await this.concernFor(ctx, tx, id, 'concern.message');
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
        this.logger?.error({ err: error }, 'could not send the email about a reply yet');
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

  /** The duty inbox of the clinician's own crisis team: most urgent and most overdue first. */
  async inbox(
    ctx: StaffContext,
  ): Promise<{ active: ConcernItem[]; closed: ConcernItem[]; undelivered: UndeliveredMessage[] }> {
    const crisisTeamId = ctx.actor.crisisTeamId;
    if (
      !crisisTeamId ||
      !can(ctx.actor, 'concern.inbox', { type: 'crisisTeam', trustId: ctx.actor.trustId, crisisTeamId })
    )
      throw new NotFoundError('inbox');
    return this.db.transaction(async (tx) => {
      const now = this.clock.now();
      const rows = await this.concerns.listForTeam(
        tx,
        crisisTeamId,
        new Date(now.getTime() - CLOSED_SHOWN_DAYS * DAY),
      );
      const items = rows.filter((row) => row.trustId === ctx.actor.trustId).map((row) => this.item(row));
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'concerns.inbox_viewed',
        entityType: 'crisis_team',
        entityId: crisisTeamId,
        detail: { shown: items.length },
      });
      // Safety messages to this team that could not be sent: the duty contact follows them up.
      const undelivered = (await this.undelivered?.safetyForTeam(tx, ctx, crisisTeamId)) ?? [];
      return {
        undelivered,
        active: items
          .filter((item) => item.status !== 'closed')
          .sort(
            (a, b) =>
              URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency] ||
              a.acknowledgeBy.getTime() - b.acknowledgeBy.getTime(),
          ),
        closed: items
          .filter((item) => item.status === 'closed')
          .sort((a, b) => (b.closedAt?.getTime() ?? 0) - (a.closedAt?.getTime() ?? 0)),
      };
    });
  }

  /** Everything this worker raised, newest first. Only peer support workers raise them. */
  async mine(ctx: StaffContext): Promise<ConcernItem[]> {
    if (!hasRole(ctx.actor, 'peer_worker')) throw new NotFoundError('page');
    return this.db.transaction(async (tx) => {
      const rows = await this.concerns.listRaisedBy(tx, ctx.actor.id);
      const unread = await this.concerns.withUnreadReplies(tx, ctx.actor.id);
      const items = rows
        .filter((row) => can(ctx.actor, 'concern.view', concernResource(row)))
        .map((row) => this.item(row, unread.has(row.id)));
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'concerns.inbox_viewed',
        entityType: 'staff',
        entityId: ctx.actor.id,
        detail: { list: 'raised by me', shown: items.length },
      });
      return items;
    });
  }

  /**
   * The participant page's panel: whether this viewer may raise one, and the concerns about the
   * participant that this viewer may see. The participant page audits the read itself.
   */
  async participantPanel(ctx: StaffContext, participantId: string): Promise<ConcernsPanel> {
    const participant = await participantFor(
      this.participants,
      this.db,
      ctx.actor,
      participantId,
      'participant.view',
    );
    const rows = await this.concerns.listForParticipant(this.db, participantId);
    return {
      canRaise: can(ctx.actor, 'concern.raise', {
        type: 'participant',
        participantId,
        trustId: participant.trustId,
        crisisTeamId: participant.crisisTeamId,
        allocatedWorkerId: participant.allocatedWorkerId,
      }),
      concerns: rows
        .filter((row) => can(ctx.actor, 'concern.view', concernResource(row)))
        .map((row) => this.item(row)),
    };
  }
}
