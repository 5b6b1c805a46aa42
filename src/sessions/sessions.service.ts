/**
 * Delivering the programme: a peer support worker books sessions with a participant allocated
 * to them and records what happened. Up to `sessionCap` sessions within the programme window
 * (PRODUCT.md section 2); more, or later, needs the worker to say so on purpose.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { ConflictError, NotFoundError, ValidationError, type FieldErrors } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, type Action } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor, participantResource } from '../participants/participant.service.ts';
import { interventionWithheldMessage, programmeWindow, type ProgrammeWindow } from '../participants/programme-window.ts';
import { fromUkWallClock, ukToday } from '../platform/calendar/uk-time.ts';
import type { BookingInput, PastSessionInput, RecordInput } from './session.form.ts';
import { sessionChangeItem, type SessionChangeItem } from './session.view-model.ts';
import type { ProgrammeSessionRow, SessionCounts, ProgrammeSessionRepository } from './session.repository.ts';
import { bookingErrors, capReached, pastSessionErrors } from './booking-rules.ts';
import { plannedSessionRow, sessionOutcome } from './session-rows.ts';
import { bookOnce, type Booked } from './book-once.ts';
import type { ChangeRequestRepository } from './change-request.repository.ts';
import type { EndingRepository } from '../endings/ending.repository.ts';
import type { ReminderSchedulingService } from '../reminders/reminder-scheduling.service.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface ProgrammeSettings {
  sessionCap: number;
  windowMonths: number;
}

export interface BookingPage {
  participant: ParticipantWithAllocation;
  counts: SessionCounts;
  window: ProgrammeWindow;
  sessionCap: number;
  /** Attended and planned sessions already reach the cap: booking needs a confirmation. */
  capReached: boolean;
}

export interface RecordPage {
  participant: ParticipantWithAllocation;
  session: ProgrammeSessionRow;
  /** Earlier versions of the session, newest first: who changed it, when and why. */
  changes: SessionChangeItem[];
}

export class ProgrammeSessionsService {
  private readonly db: Db;
  private readonly participants: ParticipantRepository;
  private readonly sessions: ProgrammeSessionRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly programme: ProgrammeSettings;
  private readonly endings: Pick<EndingRepository, 'find'>;
  private readonly reminders: Pick<ReminderSchedulingService, 'scheduleForSession'>;
  private readonly changeRequests: Pick<ChangeRequestRepository, 'resolve'>;

  constructor(
    db: Db,
    participants: ParticipantRepository,
    sessions: ProgrammeSessionRepository,
    audit: AuditService,
    clock: Clock,
    programme: ProgrammeSettings,
    endings: Pick<EndingRepository, 'find'>,
    reminders: Pick<ReminderSchedulingService, 'scheduleForSession'>,
    changeRequests: Pick<ChangeRequestRepository, 'resolve'>,
  ) {
    this.db = db;
    this.participants = participants;
    this.sessions = sessions;
    this.audit = audit;
    this.clock = clock;
    this.programme = programme;
    this.endings = endings;
    this.reminders = reminders;
    this.changeRequests = changeRequests;
  }

  /** The participant, if this actor may do `action` for them; anyone else gets "not found". */
  private participantFor(
    ctx: StaffContext,
    db: Db,
    participantId: string,
    action: Action,
  ): Promise<ParticipantWithAllocation> {
    return participantFor(this.participants, db, ctx.actor, participantId, action);
  }

  private window(participant: ParticipantWithAllocation): ProgrammeWindow {
    return programmeWindow(participant.dischargedOn, ukToday(this.clock.now()), this.programme.windowMonths);
  }

  async bookingPage(ctx: StaffContext, participantId: string): Promise<BookingPage> {
    return this.formPage(ctx, participantId, ['session.book'], 'book session');
  }

  /** The form for a session that already happened: who, and the dose so far. */
  async pastSessionPage(ctx: StaffContext, participantId: string): Promise<BookingPage> {
    return this.formPage(ctx, participantId, ['session.book', 'session.record'], 'record past session');
  }

  /** A booking-style form: the participant (each action checked), the dose so far, audited as a read. */
  private async formPage(
    ctx: StaffContext,
    participantId: string,
    actions: readonly ['session.book', ...'session.record'[]],
    page: string,
  ): Promise<BookingPage> {
    const participant = await this.participantFor(ctx, this.db, participantId, actions[0]);
    for (const action of actions.slice(1))
      if (!can(ctx.actor, action, participantResource(participant))) throw new NotFoundError('participant');
    const counts = await this.sessions.counts(this.db, participantId);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'participant.viewed',
      entityType: 'participant',
      entityId: participantId,
      detail: { page },
    });
    return {
      participant,
      counts,
      window: this.window(participant),
      sessionCap: this.programme.sessionCap,
      capReached: capReached(counts, this.programme.sessionCap),
    };
  }

  /** Books the session once; a resubmitted form returns the first one's id. */
  async book(ctx: StaffContext, participantId: string, input: BookingInput): Promise<Booked> {
    // Asked first, so a resubmitted form says nothing to anyone who may not book for them.
    await this.participantFor(ctx, this.db, participantId, 'session.book');
    return bookOnce(this.db, this.sessions, input.submissionToken, participantId, (sessionId) =>
      this.db.transaction(async (tx) => {
        // One booking of a person at a time, so two forms cannot both take the last place.
        await this.participants.lockForUpdate(tx, participantId);
        const participant = await this.participantFor(ctx, tx, participantId, 'session.book');
        // An ended programme books nothing more; the worker can still change the ending.
        if (await this.endings.find(tx, participantId)) {
          throw new ValidationError({
            programme: 'The programme has ended, so no more sessions can be booked',
          });
        }
        const withheld = interventionWithheldMessage(participant);
        if (withheld) throw new ValidationError({ programme: withheld });
        const counts = await this.sessions.counts(tx, participantId);
        const window = this.window(participant);
        const errors = bookingErrors(input, participant, window, counts, this.programme.sessionCap);
        if (Object.keys(errors).length > 0) throw new ValidationError(errors);
        if (!participant.allocatedWorkerId) throw new NotFoundError('participant');
        const outsideWindow = input.plannedOn > window.windowEndsOn;
        await this.sessions.insert(
          tx,
          plannedSessionRow({
            id: sessionId,
            participantId,
            peerWorkerId: participant.allocatedWorkerId,
            bookedBy: ctx.actor.id,
            bookedAt: this.clock.now(),
            plannedAt: fromUkWallClock(input.plannedOn, input.plannedTime.hour, input.plannedTime.minute),
            booking: input,
            outsideWindow,
            isEnding: input.isEnding,
          }),
        );
        // In the booking's transaction: a booked session always has its messages planned.
        await this.reminders.scheduleForSession(tx, sessionId);
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'session.booked',
          entityType: 'programme_session',
          entityId: sessionId,
          detail: {
            participantId,
            mode: input.mode,
            overCap: capReached(counts, this.programme.sessionCap),
            outsideWindow,
          },
        });
      }),
    );
  }

  /**
   * A session that already happened, booked and recorded in one transaction: the planned row,
   * its revision and the outcome, with both audit events, as booking then recording would leave
   * them. The same dose and window rules as booking; no reminders, as the time has passed.
   */
  async recordPast(ctx: StaffContext, participantId: string, input: PastSessionInput): Promise<Booked> {
    const { booking, outcome } = input;
    await this.participantFor(ctx, this.db, participantId, 'session.book');
    await this.participantFor(ctx, this.db, participantId, 'session.record');
    return bookOnce(this.db, this.sessions, booking.submissionToken, participantId, (sessionId) =>
      this.db.transaction(async (tx) => {
        await this.participants.lockForUpdate(tx, participantId);
        const participant = await this.participantFor(ctx, tx, participantId, 'session.book');
        await this.participantFor(ctx, tx, participantId, 'session.record');
        if (await this.endings.find(tx, participantId)) {
          throw new ValidationError({
            programme: 'The programme has ended, so no more sessions can be recorded',
          });
        }
        const counts = await this.sessions.counts(tx, participantId);
        const window = this.window(participant);
        const now = this.clock.now();
        const plannedAt = fromUkWallClock(
          booking.plannedOn,
          booking.plannedTime.hour,
          booking.plannedTime.minute,
        );
        const { sessionCap } = this.programme;
        const errors = pastSessionErrors(booking, plannedAt, now, participant, window, counts, sessionCap);
        if (Object.keys(errors).length > 0) throw new ValidationError(errors);
        // A session that happened before they withdrew from the trial's intervention may still be recorded.
        const withheld = interventionWithheldMessage(participant);
        if (withheld && !(participant.interventionWithheldOn && booking.plannedOn < participant.interventionWithheldOn))
          throw new ValidationError({ programme: withheld });
        if (!participant.allocatedWorkerId) throw new NotFoundError('participant');
        const outsideWindow = booking.plannedOn > window.windowEndsOn;
        const overCap = capReached(counts, sessionCap);
        await this.sessions.insert(
          tx,
          plannedSessionRow({
            id: sessionId,
            participantId,
            peerWorkerId: participant.allocatedWorkerId,
            bookedBy: ctx.actor.id,
            bookedAt: now,
            plannedAt,
            booking,
            outsideWindow,
            isEnding: false,
          }),
        );
        // No reminders: the time has passed, so there is nothing to remind anyone of.
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'session.booked',
          entityType: 'programme_session',
          entityId: sessionId,
          detail: { participantId, mode: booking.mode, overCap, outsideWindow, alreadyHappened: true },
        });
        const inserted = await this.sessions.findById(tx, sessionId);
        if (!inserted) throw new NotFoundError('session');
        await this.sessions.insertRevision(tx, {
          id: randomUUID(),
          sessionId,
          version: 1,
          snapshot: { ...inserted },
          changedBy: ctx.actor.id,
          changedAt: now,
          why: null,
        });
        const saved = await this.sessions.updateOutcome(
          tx,
          sessionId,
          1,
          sessionOutcome(outcome, ctx.actor.id, now),
        );
        if (!saved) throw new ConflictError();
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'session.recorded',
          entityType: 'programme_session',
          entityId: sessionId,
          detail: {
            participantId,
            status: outcome.status,
            alreadyHappened: true,
            ...(outcome.concernToRaise ? { concernToRaise: true } : {}),
          },
        });
      }),
    );
  }

  private async sessionFor(
    ctx: StaffContext,
    db: Db,
    sessionId: string,
  ): Promise<{ session: ProgrammeSessionRow; participant: ParticipantWithAllocation }> {
    const session = await this.sessions.findById(db, sessionId);
    if (!session) throw new NotFoundError('session');
    const participant = await this.participantFor(ctx, db, session.participantId, 'session.record');
    return { session, participant };
  }

  async recordPage(ctx: StaffContext, sessionId: string): Promise<RecordPage> {
    const { session, participant } = await this.sessionFor(ctx, this.db, sessionId);
    const [changes] = await Promise.all([
      this.sessions.changes(this.db, sessionId),
      this.audit.recordRead({
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'participant.viewed',
        entityType: 'participant',
        entityId: participant.id,
        detail: { page: 'record session', sessionId },
      }),
    ]);
    return { session, participant, changes: changes.map(sessionChangeItem) };
  }

  /**
   * Records what happened, or changes what was recorded. The version read with the form must
   * still be current; the session as it was is kept as a revision, with who, when and why.
   * Two reads (the session, its participant for the access check) and one statement that is
   * its own transaction (ProgrammeSessionRepository.saveRecord): if anyone saved the session,
   * or a request to move it arrived, after it was read, nothing is written and it is a conflict.
   */
  async record(ctx: StaffContext, sessionId: string, input: RecordInput): Promise<{ participantId: string }> {
    const session = await this.sessions.findForRecording(this.db, sessionId);
    if (!session) throw new NotFoundError('session');
    const participant = await this.participantFor(ctx, this.db, session.participantId, 'session.record');
    if (session.version !== input.version) throw new ConflictError();
    const changing = session.status !== 'planned';
    const now = this.clock.now();
    const errors: FieldErrors = {};
    if (changing && !input.why) errors.why = 'Enter why you are changing what was recorded';
    if (input.status === 'attended' && session.plannedAt.getTime() > now.getTime()) {
      errors.status = 'A session cannot be recorded as attended before it has started';
    }
    if (Object.keys(errors).length > 0) throw new ValidationError(errors);

    const { openChangeRequestIds, ...snapshot } = session;
    const saved = await this.sessions.saveRecord(this.db, {
      sessionId,
      version: session.version,
      outcome: sessionOutcome(input, ctx.actor.id, now),
      revision: {
        id: randomUUID(),
        sessionId,
        version: session.version,
        snapshot,
        changedBy: ctx.actor.id,
        changedAt: now,
        why: input.why,
      },
      // Whatever happened to it answers any request to move it.
      changeRequestIds: openChangeRequestIds,
      // Not going ahead as planned (or it has happened): messages not sent yet never will be.
      reminderReason:
        input.status === 'rescheduled'
          ? 'session moved'
          : input.status === 'cancelled_by_participant' || input.status === 'cancelled_by_worker'
            ? 'session cancelled'
            : 'session recorded',
      by: ctx.actor.id,
      at: now,
      audit: this.audit.sign({
        actor: ctx.actor,
        ip: ctx.ip,
        action: changing ? 'session.updated' : 'session.recorded',
        entityType: 'programme_session',
        entityId: sessionId,
        detail: {
          participantId: participant.id,
          status: input.status,
          ...(input.concernToRaise ? { concernToRaise: true } : {}),
          ...(changing ? { previousStatus: session.status, version: session.version + 1 } : {}),
          ...(openChangeRequestIds.length > 0 ? { resolvedChangeRequests: openChangeRequestIds } : {}),
        },
      }),
    });
    // Someone saved between our read and our write: nothing was written.
    if (!saved) throw new ConflictError();
    return { participantId: participant.id };
  }
}
