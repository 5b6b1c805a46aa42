/**
 * Allocation: the coordinator chooses a peer support worker for a participant. A worker
 * must be cleared (training and induction done) and under their caseload limit.
 * Reallocation ends the current allocation and keeps it as history.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError, ValidationError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';
import type { PeerWorkerLoad, StaffRepository } from '../organisation/staff.repository.ts';
import type {
  AllocationHistoryItem,
  ParticipantRepository,
  ParticipantWithAllocation,
  ReferralListItem,
} from '../participants/participant.repository.ts';
import { participantResource } from '../participants/participant.service.ts';

type StaffContext = RequestContext & { actor: StaffActor };

export interface WorkerOption extends PeerWorkerLoad {
  /** Why this worker cannot take the participant, or null when they can. */
  blockedReason: string | null;
  isCurrent: boolean;
}

export function blockedReason(worker: PeerWorkerLoad, currentWorkerId: string | null): string | null {
  if (worker.id === currentWorkerId) return 'Already their peer support worker';
  if (!worker.clearedForAllocation)
    return 'Not yet cleared to take participants (training or induction not complete)';
  if (worker.caseloadCount >= worker.caseloadLimit)
    return `At their caseload limit (${worker.caseloadLimit})`;
  return null;
}

export class AllocationService {
  private readonly db: Db;
  private readonly participants: ParticipantRepository;
  private readonly staff: StaffRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(
    db: Db,
    participants: ParticipantRepository,
    staff: StaffRepository,
    audit: AuditService,
    clock: Clock,
  ) {
    this.db = db;
    this.participants = participants;
    this.staff = staff;
    this.audit = audit;
    this.clock = clock;
  }

  private async participantFor(
    ctx: StaffContext,
    db: Db,
    participantId: string,
  ): Promise<ParticipantWithAllocation> {
    const participant = await this.participants.findWithAllocation(db, participantId);
    if (!participant || !can(ctx.actor, 'participant.allocate', participantResource(participant))) {
      throw new NotFoundError('participant');
    }
    return participant;
  }

  async waiting(ctx: StaffContext): Promise<ReferralListItem[]> {
    if (
      !can(ctx.actor, 'caseload.overview', { type: 'trust', trustId: ctx.actor.trustId }) ||
      !ctx.actor.roles.includes('coordinator')
    ) {
      throw new NotFoundError('page');
    }
    return this.db.transaction(async (tx) => {
      const items = await this.participants.listReferrals(tx, {
        trustId: ctx.actor.trustId,
        onlyUnallocated: true,
      });
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'referrals.listed',
        entityType: 'trust',
        entityId: ctx.actor.trustId,
        detail: { view: 'waiting for allocation', count: items.length },
      });
      return items;
    });
  }

  async options(
    ctx: StaffContext,
    participantId: string,
  ): Promise<{
    participant: ParticipantWithAllocation;
    workers: WorkerOption[];
    history: AllocationHistoryItem[];
  }> {
    return this.db.transaction(async (tx) => {
      const participant = await this.participantFor(ctx, tx, participantId);
      const loads = await this.staff.peerWorkerLoads(tx, participant.trustId);
      const history = await this.participants.allocationHistory(tx, participantId);
      await this.audit.record(tx, {
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'participant.viewed',
        entityType: 'participant',
        entityId: participantId,
        detail: { page: 'allocation' },
      });
      const workers = loads.map((worker) => ({
        ...worker,
        blockedReason: blockedReason(worker, participant.allocatedWorkerId),
        isCurrent: worker.id === participant.allocatedWorkerId,
      }));
      return { participant, workers, history };
    });
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
      await this.staff.lockForUpdate(tx, peerWorkerId);
      const worker = (await this.staff.peerWorkerLoads(tx, participant.trustId)).find(
        (w) => w.id === peerWorkerId,
      );
      if (!worker) throw new ValidationError({ peerWorkerId: 'Select a peer support worker' });
      const blocked = blockedReason(worker, participant.allocatedWorkerId);
      if (blocked)
        throw new ValidationError({
          peerWorkerId: `${worker.fullName} cannot be allocated: ${blocked.toLowerCase()}`,
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
}
