/**
 * Allocation: the coordinator chooses a peer support worker for a participant. A worker
 * must be ready (every mandatory training item current and pre-employment checks complete, or
 * the coordinator's override: `workforce/readiness.ts`) and under their caseload limit.
 * Reallocation ends the current allocation and keeps it as history.
 */
import { randomUUID } from 'node:crypto';
import { interventionWithheldMessage } from '../participants/programme-window.ts';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { pageOf, type Page } from '../platform/paging.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can, caseloadOf } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { PeerWorkerLoad, StaffRepository } from '../organisation/staff.repository.ts';
import type {
  AllocationHistoryItem,
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import { participantFor } from '../participants/participant.service.ts';
import { isAway, waitingEntry, type WaitingEntry } from '../caseload/caseload.service.ts';
import { ukToday } from '../platform/calendar/uk-time.ts';
import { notReadyReason, type Readiness, type WorkerReadiness } from '../workforce/readiness.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface WorkerOption extends PeerWorkerLoad {
  /** Why this worker cannot take the participant, or null when they can. */
  blockedReason: string | null;
  isCurrent: boolean;
  /** Allowed to take participants by the coordinator although training or checks are not complete. */
  override: { reason: string; untilOn: string } | null;
}

export function blockedReason(
  worker: PeerWorkerLoad,
  currentWorkerId: string | null,
  today: string,
  readiness: Readiness | undefined,
): string | null {
  if (worker.id === currentWorkerId) return 'Already their peer support worker';
  if (isAway(worker, today)) return worker.awayUntil ? `Away until ${worker.awayUntil}` : 'Away';
  // No readiness read is no clearance: a worker is never offered on a missing answer.
  if (!readiness) return 'Training or checks not complete';
  const notReady = notReadyReason(readiness);
  if (notReady) return notReady;
  if (worker.caseloadCount >= worker.caseloadLimit)
    return `At their caseload limit (${worker.caseloadLimit})`;
  return null;
}

/** What the service asks of participants and their allocations. */
export type AllocationParticipants = Pick<
  ParticipantRepository,
  | 'findWithAllocation'
  | 'lockForUpdate'
  | 'waitingForWorker'
  | 'allocationHistory'
  | 'endCurrentAllocation'
  | 'insertAllocation'
  | 'requestReallocationForWorker'
  | 'withdrawReallocationForWorker'
>;

/** What the service asks of staff: who they are, their loads, and whether they are away. */
export type AllocationStaff = Pick<
  StaffRepository,
  'findById' | 'lockForUpdate' | 'peerWorkerLoads' | 'setAway'
>;

/** People shown on one page of the waiting list. */
export const WAITING_PAGE_SIZE = 50;

export class AllocationService {
  private readonly db: Db;
  private readonly participants: AllocationParticipants;
  private readonly staff: AllocationStaff;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly targetWorkingDays: number;
  private readonly readiness: WorkerReadiness;

  constructor(
    db: Db,
    participants: AllocationParticipants,
    staff: AllocationStaff,
    readiness: WorkerReadiness,
    audit: AuditService,
    clock: Clock,
    targetWorkingDays: number,
  ) {
    this.db = db;
    this.participants = participants;
    this.staff = staff;
    this.readiness = readiness;
    this.audit = audit;
    this.clock = clock;
    this.targetWorkingDays = targetWorkingDays;
  }

  private participantFor(
    ctx: StaffContext,
    db: Db,
    participantId: string,
  ): Promise<ParticipantWithAllocation> {
    return participantFor(this.participants, db, ctx.actor, participantId, 'participant.allocate');
  }

  /**
   * Everyone waiting for a worker or a new one, longest first, against the target time: one
   * page of them (WAITING_PAGE_SIZE), with how many wait and are overdue in all. The read
   * event names the people on the page shown.
   */
  async waiting(
    ctx: StaffContext,
    pageNumber = 1,
  ): Promise<{ page: Page<WaitingEntry>; overdue: number; targetWorkingDays: number }> {
    if (!can(ctx.actor, 'allocation.list_waiting', { type: 'trust', trustId: ctx.actor.trustId })) {
      throw new NotFoundError('page');
    }
    const items = await this.participants.waitingForWorker(this.db, ctx.actor.trustId);
    const now = this.clock.now();
    const all = items.map((item) => waitingEntry(ctx.actor, item, now, this.targetWorkingDays));
    const page = pageOf(all, pageNumber, WAITING_PAGE_SIZE);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'referrals.listed',
      entityType: 'trust',
      entityId: ctx.actor.trustId,
      detail: {
        view: 'waiting for allocation',
        page: page.number,
        participantIds: page.items.map((item) => item.id),
      },
    });
    return {
      page,
      overdue: all.filter((entry) => entry.overdue).length,
      targetWorkingDays: this.targetWorkingDays,
    };
  }

  async options(
    ctx: StaffContext,
    participantId: string,
  ): Promise<{
    participant: ParticipantWithAllocation;
    workers: WorkerOption[];
    history: AllocationHistoryItem[];
  }> {
    const participant = await this.participantFor(ctx, this.db, participantId);
    const [loads, history] = await Promise.all([
      this.staff.peerWorkerLoads(this.db, participant.trustId),
      this.participants.allocationHistory(this.db, participantId),
    ]);
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'participant.viewed',
      entityType: 'participant',
      entityId: participantId,
      detail: { page: 'allocation' },
    });
    const readiness = await this.readiness.readinessFor(
      this.db,
      loads.map((worker) => worker.id),
    );
    const today = ukToday(this.clock.now());
    const workers = loads.map((worker) => {
      const ready = readiness.get(worker.id);
      return {
        ...worker,
        blockedReason: blockedReason(worker, participant.allocatedWorkerId, today, ready),
        isCurrent: worker.id === participant.allocatedWorkerId,
        override: ready?.complete === false && ready.override ? ready.override : null,
      };
    });
    return { participant, workers, history };
  }

  async allocate(
    ctx: StaffContext,
    participantId: string,
    peerWorkerId: string,
    reason: string | null,
  ): Promise<void> {
    await this.db.transaction(async (tx) => {
      // One allocation of a person at a time, and one allocation to a worker at a time, so
      // two coordinators cannot both take a worker's last place.
      await this.participants.lockForUpdate(tx, participantId);
      const participant = await this.participantFor(ctx, tx, participantId);
      // A resubmitted form (double click, retry) finds the work already done.
      if (participant.allocatedWorkerId === peerWorkerId) return;
      const withheld = interventionWithheldMessage(participant);
      if (withheld) throw new ValidationError({ peerWorkerId: withheld });
      await this.staff.lockForUpdate(tx, peerWorkerId);
      const worker = (await this.staff.peerWorkerLoads(tx, participant.trustId)).find(
        (w) => w.id === peerWorkerId,
      );
      if (!worker) throw new ValidationError({ peerWorkerId: 'Select a peer support worker' });
      // Read in the allocating transaction: training recorded or withdrawn since the page was shown counts.
      const readiness = await this.readiness.readinessFor(tx, [worker.id]);
      const blocked = blockedReason(
        worker,
        participant.allocatedWorkerId,
        ukToday(this.clock.now()),
        readiness.get(worker.id),
      );
      if (blocked)
        throw new ValidationError({
          peerWorkerId: `${worker.fullName} cannot be allocated: ${blocked.charAt(0).toLowerCase()}${blocked.slice(1)}`,
        });
      const reallocating = participant.allocatedWorkerId !== null;
      if (reallocating && !reason) {
        throw new ValidationError({
          reason: 'Enter why the participant is moving to a different peer support worker',
        });
      }
      const now = this.clock.now();
      const previous = await this.participants.endCurrentAllocation(tx, participantId, ctx.actor.id, now);
      await this.participants.insertAllocation(tx, {
        id: randomUUID(),
        participantId,
        peerWorkerId,
        allocatedBy: ctx.actor.id,
        allocatedAt: now,
        reason,
        endedAt: null,
        endedBy: null,
      });
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: reallocating ? 'participant.reallocated' : 'participant.allocated',
        entityType: 'participant',
        entityId: participantId,
        detail: { peerWorkerId, ...(previous ? { previousPeerWorkerId: previous } : {}) },
      });
    });
  }

  /**
   * Marks a peer support worker away from a day (until a day, or until further notice) and
   * asks for everyone they support to be given a new worker, which the coordinator's lists
   * then show against the target time. Marking them back withdraws requests not yet acted on.
   */
  async markAway(
    ctx: StaffContext,
    workerId: string,
    input: { awayFrom: string; awayUntil: string | null; reason: string },
  ): Promise<{ participantIds: string[] }> {
    return this.db.transaction(async (tx) => {
      const worker = await this.awayTarget(ctx, tx, workerId);
      if (input.awayUntil && input.awayUntil < input.awayFrom) {
        throw new ValidationError({
          awayUntil: 'The day they are back must be on or after the day they are away from',
        });
      }
      await this.staff.setAway(tx, worker.id, input.awayFrom, input.awayUntil);
      const participantIds = await this.participants.requestReallocationForWorker(
        tx,
        worker.id,
        this.clock.now(),
        input.reason,
      );
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'staff.marked_away',
        entityType: 'staff',
        entityId: worker.id,
        detail: { awayFrom: input.awayFrom, awayUntil: input.awayUntil, participantIds },
      });
      return { participantIds };
    });
  }

  /** The worker the away form is about. */
  async awayPage(
    ctx: StaffContext,
    workerId: string,
  ): Promise<{
    id: string;
    fullName: string;
    awayFrom: string | null;
    awayUntil: string | null;
    participants: number;
  }> {
    return this.db.transaction(async (tx) => {
      const worker = await this.awayTarget(ctx, tx, workerId);
      const loads = await this.staff.peerWorkerLoads(tx, worker.trustId);
      return {
        id: worker.id,
        fullName: worker.fullName,
        awayFrom: worker.awayFrom,
        awayUntil: worker.awayUntil,
        participants: loads.find((load) => load.id === worker.id)?.caseloadCount ?? 0,
      };
    });
  }

  async markBack(ctx: StaffContext, workerId: string): Promise<{ participantIds: string[] }> {
    return this.db.transaction(async (tx) => {
      const worker = await this.awayTarget(ctx, tx, workerId);
      // Not away: nothing to undo (a repeated "They are back" changes nothing).
      if (worker.awayFrom === null) return { participantIds: [] };
      await this.staff.setAway(tx, worker.id, null, null);
      const participantIds = await this.participants.withdrawReallocationForWorker(tx, worker.id);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'staff.marked_back',
        entityType: 'staff',
        entityId: worker.id,
        detail: { participantIds },
      });
      return { participantIds };
    });
  }

  private async awayTarget(ctx: StaffContext, tx: Db, workerId: string) {
    const worker = await this.staff.findById(tx, workerId);
    if (!worker || !can(ctx.actor, 'reallocation.request', caseloadOf(worker))) {
      throw new NotFoundError('staff');
    }
    return worker;
  }
}
