/**
 * The concerns a peer support worker raised (My concerns, with a mark on those with a new reply)
 * and the panel of concerns on a participant's page. Each list holds only the concerns the
 * viewer may see.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type {
  ParticipantRepository,
  ParticipantWithAllocation,
} from '../participants/participant.repository.ts';
import type { ConcernRepository } from './concern.repository.ts';
import { concernItem, concernResource, type ConcernItem, type StaffContext } from './concern-item.ts';

export interface ConcernsPanel {
  canRaise: boolean;
  concerns: ConcernItem[];
}

export class WorkerConcernsService {
  private readonly db: Db;
  private readonly concerns: ConcernRepository;
  private readonly participants: ParticipantRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;

  constructor(
    db: Db,
    concerns: ConcernRepository,
    participants: ParticipantRepository,
    audit: AuditService,
    clock: Clock,
  ) {
    this.db = db;
    this.concerns = concerns;
    this.participants = participants;
    this.audit = audit;
    this.clock = clock;
  }

  /** Everything this worker raised, newest first. Only peer support workers raise them. */
  async mine(ctx: StaffContext): Promise<ConcernItem[]> {
    const self = { type: 'staff' as const, trustId: ctx.actor.trustId, staffId: ctx.actor.id };
    if (!can(ctx.actor, 'concern.list_own', self)) throw new NotFoundError('page');
    const [rows, unread] = await Promise.all([
      this.concerns.listRaisedBy(this.db, ctx.actor.id),
      this.concerns.withUnreadReplies(this.db, ctx.actor.id),
    ]);
    const items = rows
      .filter((row) => can(ctx.actor, 'concern.view', concernResource(row)))
      .map((row) => concernItem(row, this.clock.now(), unread.has(row.id)));
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'concerns.inbox_viewed',
      entityType: 'staff',
      entityId: ctx.actor.id,
      detail: { list: 'raised by me', shown: items.length },
    });
    return items;
  }

  /**
   * The participant page's panel: whether this viewer may raise one, and the concerns about the
   * participant that this viewer may see. Read with the `db` the page gives, for a participant the
   * page has checked the viewer may see; the page audits the read itself.
   */
  async participantPanel(
    db: Db,
    ctx: StaffContext,
    participant: ParticipantWithAllocation,
  ): Promise<ConcernsPanel> {
    const participantId = participant.id;
    const rows = await this.concerns.listForParticipant(db, participantId);
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
        .map((row) => concernItem(row, this.clock.now())),
    };
  }
}
