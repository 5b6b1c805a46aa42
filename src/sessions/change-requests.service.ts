/**
 * A participant asks to move a session; their worker is told (by email, with no names or
 * times in it, and as the most urgent kind of caseload prompt) and deals with it by moving
 * or cancelling the session, or by marking the request dealt with. The email is committed with
 * the request through the message outbox, so a crash loses neither.
 */
import type { ErrorLog } from '../platform/logger.ts';
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { MessageOutbox } from '../platform/notifications/message-outbox.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { ParticipantActor, RequestContext, StaffActor } from '../policy/actor.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor, participantResource } from '../participants/participant.service.ts';
import type { StaffRepository } from '../organisation/staff.repository.ts';
import type { ProgrammeSessionRepository } from './session.repository.ts';
import type { ChangeRequestRepository, OpenChangeRequest } from './change-request.repository.ts';
import { participantSessionItem, type ParticipantSessionItem } from './session.view-model.ts';

type ParticipantContext = RequestContext & { actor: ParticipantActor };
type StaffContext = RequestContext & { actor: StaffActor };

export class ChangeRequestsService {
  private readonly db: Db;
  private readonly requests: ChangeRequestRepository;
  private readonly sessions: ProgrammeSessionRepository;
  private readonly participants: ParticipantRepository;
  private readonly staff: StaffRepository;
  private readonly outbox: MessageOutbox;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly publicUrl: string | undefined;
  /** Where an email to the worker that must wait for the outbox's retry is reported. */
  private readonly log: ErrorLog;

  constructor(
    db: Db,
    requests: ChangeRequestRepository,
    sessions: ProgrammeSessionRepository,
    participants: ParticipantRepository,
    staff: StaffRepository,
    outbox: MessageOutbox,
    audit: AuditService,
    clock: Clock,
    publicUrl: string | undefined,
    log: ErrorLog,
  ) {
    this.db = db;
    this.requests = requests;
    this.sessions = sessions;
    this.participants = participants;
    this.staff = staff;
    this.outbox = outbox;
    this.audit = audit;
    this.clock = clock;
    this.publicUrl = publicUrl;
    this.log = log;
  }

  /** The participant's own planned, future session, or "not found". */
  private async ownUpcoming(ctx: ParticipantContext, db: Db, sessionId: string) {
    const session = await this.sessions.findById(db, sessionId);
    const participant = session
      ? await this.participants.findWithAllocation(db, session.participantId)
      : undefined;
    if (
      !session ||
      !participant ||
      !can(ctx.actor, 'session.request_change', participantResource(participant)) ||
      session.status !== 'planned' ||
      session.plannedAt.getTime() <= this.clock.now().getTime()
    ) {
      throw new NotFoundError('session');
    }
    const [worker] = await this.sessions
      .listForParticipant(db, participant.id)
      .then((all) => all.filter((s) => s.id === sessionId));
    return {
      session,
      participant,
      item: participantSessionItem(worker ?? { ...session, peerWorkerName: '' }),
    };
  }

  async requestPage(
    ctx: ParticipantContext,
    sessionId: string,
  ): Promise<{ session: ParticipantSessionItem; alreadyAsked: boolean }> {
    const { participant, item } = await this.ownUpcoming(ctx, this.db, sessionId);
    const open = await this.requests.openForParticipant(this.db, participant.id);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'participant.viewed',
      entityType: 'participant',
      entityId: participant.id,
      detail: { page: 'ask to rearrange', sessionId },
    });
    return { session: item, alreadyAsked: open.some((request) => request.sessionId === sessionId) };
  }

  /** Records the request once (a resubmitted form finds the first) and tells the worker. */
  async request(
    ctx: ParticipantContext,
    sessionId: string,
    input: { submissionToken: string; message: string | null },
  ): Promise<void> {
    const workerToTell = await this.db.transaction(async (tx) => {
      const existing = await this.requests.bySubmissionToken(tx, input.submissionToken);
      if (existing) {
        if (existing.sessionId !== sessionId || existing.participantId !== ctx.actor.id)
          throw new ValidationError({ message: 'This form has expired. Start again' });
        return null;
      }
      const { session, participant } = await this.ownUpcoming(ctx, tx, sessionId);
      const open = await this.requests.openForParticipant(tx, participant.id);
      // Asking twice about one session is one request: the worker already knows.
      if (open.some((request) => request.sessionId === sessionId)) return null;
      const id = randomUUID();
      await this.requests.insert(tx, {
        id,
        sessionId,
        participantId: participant.id,
        message: input.message,
        requestedAt: this.clock.now(),
        resolvedAt: null,
        resolvedBy: null,
        submissionToken: input.submissionToken,
      });
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'session.change_requested',
        entityType: 'programme_session',
        entityId: sessionId,
        detail: { participantId: participant.id, requestId: id },
      });
      const worker = await this.staff.findById(tx, session.peerWorkerId);
      if (!worker) return null;
      await this.outbox.enqueue(tx, {
        channel: 'email',
        to: worker.email,
        template: 'rearrange_request',
        personalisation: {
          worker_first_name: worker.fullName.split(' ')[0] ?? worker.fullName,
          caseload_link: `${this.publicUrl ?? ''}/caseload`,
        },
        source: { kind: 'change-request', id },
      });
      return worker;
    });
    if (!workerToTell) return;
    // Sent now rather than at the outbox's next minute; a failure is retried there. The request
    // is on the caseload as the most urgent prompt either way.
    await this.outbox.dispatchDue(5).catch((error: unknown) => {
      this.log.error({ err: error }, 'could not email the worker about a request to rearrange yet');
    });
  }

  /** The sessions a signed-in participant has asked to move and not yet heard back about. */
  async openSessionIds(ctx: ParticipantContext): Promise<string[]> {
    const open = await this.requests.openForParticipant(this.db, ctx.actor.id);
    return open.map((request) => request.sessionId);
  }

  /**
   * Open requests on a participant's record, for their current worker to deal with, read with the
   * `db` the summary page that shows them gives (the page audits the view). Anyone else gets an
   * empty list.
   */
  async openForWorker(
    db: Db,
    ctx: StaffContext,
    participant: ParticipantWithAllocation,
  ): Promise<OpenChangeRequest[]> {
    if (!can(ctx.actor, 'session.record', participantResource(participant))) return [];
    return this.requests.openForParticipant(db, participant.id);
  }

  /** The worker marks a request dealt with (they have spoken and agreed what happens). */
  async resolve(ctx: StaffContext, participantId: string, requestId: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await participantFor(this.participants, tx, ctx.actor, participantId, 'session.record');
      const closed = await this.requests.resolve(
        tx,
        { id: requestId, participantId },
        ctx.actor.id,
        this.clock.now(),
      );
      if (closed.length === 0) return;
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'session.change_request_resolved',
        entityType: 'participant',
        entityId: participantId,
        detail: { requestId },
      });
    });
  }
}
