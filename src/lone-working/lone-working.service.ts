/**
 * Lone working (issue 5): a peer support worker checks in before a visit on their own (where,
 * and when they expect to finish) and checks out after. Supervisors and the coordinator see
 * visits not checked out in time, and acknowledge them once they know the worker is safe;
 * LoneWorkingAlertService tells them by email until then.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import { isUniqueViolation } from '../platform/database/unique-violation.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { CheckInInput } from './check-in.form.ts';
import type {
  CaseloadChoice,
  LoneVisitRow,
  LoneWorkingRepository,
  OverdueVisit,
} from './lone-working.repository.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface LoneWorkingSettings {
  graceMinutes: number;
  escalationMinutes: number;
}

export interface MyVisitsPage {
  current: (LoneVisitRow & { overdue: boolean }) | undefined;
  past: LoneVisitRow[];
  /** A supervisor who is also a worker: link to the overdue visits they look after. */
  canOversee: boolean;
}

export interface CheckInPage {
  caseload: CaseloadChoice[];
  current: LoneVisitRow | undefined;
  /** The face-to-face session booked for about now: where the form starts. */
  booked: { participantId: string; plannedAt: Date; place: string } | undefined;
}

const PLACE_WORDS = { community_venue: 'Community venue', nhs_site: 'NHS site' } as const;

/** Sessions from this long ago (running late) to this far ahead are the one being checked in for. */
const BOOKED_FROM_MS = 2 * 3_600_000;
const BOOKED_TO_MS = 4 * 3_600_000;

export interface OverduePage {
  visits: (OverdueVisit & { alertDue: boolean })[];
}

const PAST_VISITS_SHOWN = 10;

/** What the service asks of lone working visits, the worker's caseload and booked sessions. */
export type LoneWorkingVisits = Pick<
  LoneWorkingRepository,
  | 'insert'
  | 'bySubmissionToken'
  | 'lockById'
  | 'lockWithWorker'
  | 'currentForWorker'
  | 'pastForWorker'
  | 'checkOut'
  | 'acknowledge'
  | 'bookedVisit'
  | 'caseload'
  | 'overdue'
>;

export class LoneWorkingService {
  private readonly db: Db;
  private readonly visits: LoneWorkingVisits;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: LoneWorkingSettings;

  constructor(
    db: Db,
    visits: LoneWorkingVisits,
    audit: AuditService,
    clock: Clock,
    settings: LoneWorkingSettings,
  ) {
    this.db = db;
    this.visits = visits;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
  }

  /** Only peer support workers check in, and only for themselves; anyone else gets "not found". */
  private mustCheckIn(ctx: StaffContext): void {
    const self = { type: 'staff' as const, trustId: ctx.actor.trustId, staffId: ctx.actor.id };
    if (!can(ctx.actor, 'loneworking.check_in', self)) throw new NotFoundError('page');
  }

  async myVisits(ctx: StaffContext): Promise<MyVisitsPage> {
    this.mustCheckIn(ctx);
    const current = await this.visits.currentForWorker(this.db, ctx.actor.id);
    const past = await this.visits.pastForWorker(this.db, ctx.actor.id, PAST_VISITS_SHOWN);
    const now = this.clock.now().getTime();
    return {
      current: current ? { ...current, overdue: current.expectedEndAt.getTime() < now } : undefined,
      past,
      canOversee: this.canOversee(ctx),
    };
  }

  /**
   * The check-in form, starting from the face-to-face session the worker has booked for about
   * now: at the participant's home its place is their address (a read of their record, audited).
   */
  async checkInPage(ctx: StaffContext): Promise<CheckInPage> {
    this.mustCheckIn(ctx);
    const now = this.clock.now().getTime();
    const [session, caseload, current] = await Promise.all([
      this.visits.bookedVisit(
        this.db,
        ctx.actor.id,
        new Date(now - BOOKED_FROM_MS),
        new Date(now + BOOKED_TO_MS),
      ),
      this.visits.caseload(this.db, ctx.actor.id),
      this.visits.currentForWorker(this.db, ctx.actor.id),
    ]);
    let booked: CheckInPage['booked'];
    if (session) {
      const home = [session.address, session.postcode].filter(Boolean).join(', ');
      const place =
        session.place === 'home' ? home || 'Their home' : session.place ? PLACE_WORDS[session.place] : '';
      booked = { participantId: session.participantId, plannedAt: session.plannedAt, place };
      await this.audit.recordRead({
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'participant.viewed',
        entityType: 'participant',
        entityId: session.participantId,
        detail: { page: 'lone working check-in', sessionId: session.sessionId },
      });
    }
    return { caseload, current, booked };
  }

  /** Checks in once; a resubmitted form finds the first visit. */
  async checkIn(ctx: StaffContext, input: CheckInInput): Promise<{ visitId: string; duplicate: boolean }> {
    this.mustCheckIn(ctx);
    const existing = await this.visits.bySubmissionToken(this.db, input.submissionToken);
    if (existing) return firstVisit(existing, ctx.actor.id);
    const visitId = randomUUID();
    try {
      await this.db.transaction(async (tx) => {
        if (await this.visits.currentForWorker(tx, ctx.actor.id)) {
          throw new ValidationError({ place: 'You are already checked in. Check out of that visit first' });
        }
        if (input.participantId) {
          const caseload = await this.visits.caseload(tx, ctx.actor.id);
          if (!caseload.some((p) => p.id === input.participantId)) {
            throw new ValidationError({ participantId: 'Select one of the people you support, or no one' });
          }
        }
        const now = this.clock.now();
        await this.visits.insert(tx, {
          id: visitId,
          workerId: ctx.actor.id,
          participantId: input.participantId,
          place: input.place,
          checkedInAt: now,
          expectedEndAt: input.expectedEndAt,
          checkedOutAt: null,
          acknowledgedBy: null,
          acknowledgedAt: null,
          acknowledgementNote: null,
          submissionToken: input.submissionToken,
        });
        // Never the place: the audit log holds ids and times, not addresses.
        await this.audit.record(tx, {
          actor: ctx.actor,
          ip: ctx.ip,
          action: 'lone_working.checked_in',
          entityType: 'lone_working_visit',
          entityId: visitId,
          detail: { participantId: input.participantId, expectedEndAt: input.expectedEndAt.toISOString() },
        });
      });
    } catch (error) {
      if (isUniqueViolation(error, 'lone_working_visits_submission_token_key')) {
        const winner = await this.visits.bySubmissionToken(this.db, input.submissionToken);
        if (winner) return firstVisit(winner, ctx.actor.id);
      }
      throw error;
    }
    return { visitId, duplicate: false };
  }

  /** Checks the worker out of their own visit; a second press changes nothing. */
  async checkOut(ctx: StaffContext, visitId: string): Promise<{ late: boolean }> {
    this.mustCheckIn(ctx);
    return this.db.transaction(async (tx) => {
      const visit = await this.visits.lockById(tx, visitId);
      if (visit?.workerId !== ctx.actor.id) throw new NotFoundError('visit');
      if (visit.checkedOutAt) return { late: visit.checkedOutAt.getTime() > visit.expectedEndAt.getTime() };
      const now = this.clock.now();
      await this.visits.checkOut(tx, visitId, now);
      const late = now.getTime() > visit.expectedEndAt.getTime();
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'lone_working.checked_out',
        entityType: 'lone_working_visit',
        entityId: visitId,
        detail: { late, acknowledgedBefore: visit.acknowledgedAt !== null },
      });
      return { late };
    });
  }

  /** Supervisors and the coordinator: may this actor see overdue visits at all? */
  private canOversee(ctx: StaffContext): boolean {
    return can(ctx.actor, 'loneworking.oversee', { type: 'trust', trustId: ctx.actor.trustId });
  }

  private mustOversee(ctx: StaffContext): void {
    if (!this.canOversee(ctx)) throw new NotFoundError('page');
  }

  /** Every open visit in the actor's trust past its expected end, oldest first. */
  async overdue(ctx: StaffContext): Promise<OverduePage> {
    this.mustOversee(ctx);
    const now = this.clock.now();
    const rows = await this.visits.overdue(this.db, now, ctx.actor.trustId);
    const graceMs = this.settings.graceMinutes * 60_000;
    const visits = rows
      .filter((visit) =>
        can(ctx.actor, 'loneworking.acknowledge', {
          type: 'staff',
          trustId: visit.workerTrustId,
          staffId: visit.workerId,
        }),
      )
      .map((visit) => ({ ...visit, alertDue: visit.expectedEndAt.getTime() + graceMs <= now.getTime() }));
    return { visits };
  }

  /** Records that someone made sure the worker is safe; no more alerts go for the visit. */
  async acknowledge(ctx: StaffContext, visitId: string, note: string): Promise<{ already: boolean }> {
    this.mustOversee(ctx);
    return this.db.transaction(async (tx) => {
      const visit = await this.visits.lockWithWorker(tx, visitId);
      if (
        !visit ||
        !can(ctx.actor, 'loneworking.acknowledge', {
          type: 'staff',
          trustId: visit.workerTrustId,
          staffId: visit.workerId,
        })
      ) {
        throw new NotFoundError('visit');
      }
      if (visit.acknowledgedAt || visit.checkedOutAt) return { already: true };
      const now = this.clock.now();
      if (visit.expectedEndAt.getTime() > now.getTime()) throw new NotFoundError('visit');
      await this.visits.acknowledge(tx, visitId, ctx.actor.id, now, note);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'lone_working.acknowledged',
        entityType: 'lone_working_visit',
        entityId: visitId,
        detail: {
          workerId: visit.workerId,
          minutesOverdue: Math.floor((now.getTime() - visit.expectedEndAt.getTime()) / 60_000),
        },
      });
      return { already: false };
    });
  }
}

function firstVisit(row: LoneVisitRow, workerId: string): { visitId: string; duplicate: boolean } {
  // A token is only ever good for the worker it was issued to.
  if (row.workerId !== workerId) throw new NotFoundError('page');
  return { visitId: row.id, duplicate: true };
}
