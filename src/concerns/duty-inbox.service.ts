/**
 * The crisis team's duty inbox (PRODUCT.md section 5): the concerns raised about the team's
 * participants, most urgent and most overdue first, with the safety messages to the team that
 * could not be sent; and a clinician acknowledging a concern and closing it with what was done.
 * Every change is audited in its own transaction, and every read before it is returned (the
 * inbox reads without a transaction); anyone the policy does not allow gets "not found".
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { ConflictError, NotFoundError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { can } from '../policy/policy.ts';
import type { ConcernUrgency } from '../platform/database/schema.ts';
import type {
  UndeliveredMessage,
  UndeliveredMessagesService,
} from '../messages/undelivered-messages.service.ts';
import type { CloseInput } from './concern.form.ts';
import type { ConcernRepository } from './concern.repository.ts';
import { concernFor, concernItem, type ConcernItem, type StaffContext } from './concern-item.ts';

const URGENCY_RANK: Record<ConcernUrgency, number> = { immediate: 0, urgent: 1, routine: 2 };
const CLOSED_SHOWN_DAYS = 30;
const DAY = 86_400_000;

export class DutyInboxService {
  private readonly db: Db;
  private readonly concerns: ConcernRepository;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly undelivered: Pick<UndeliveredMessagesService, 'safetyForTeam'>;

  constructor(
    db: Db,
    concerns: ConcernRepository,
    audit: AuditService,
    clock: Clock,
    undelivered: Pick<UndeliveredMessagesService, 'safetyForTeam'>,
  ) {
    this.db = db;
    this.concerns = concerns;
    this.audit = audit;
    this.clock = clock;
    this.undelivered = undelivered;
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
    const now = this.clock.now();
    const [rows, undelivered] = await Promise.all([
      this.concerns.listForTeam(this.db, crisisTeamId, new Date(now.getTime() - CLOSED_SHOWN_DAYS * DAY)),
      // Safety messages to this team that could not be sent: the duty contact follows them up.
      // Audited there, once they are read.
      this.undelivered.safetyForTeam(this.db, ctx, crisisTeamId),
    ]);
    const items = rows
      .filter((row) => row.trustId === ctx.actor.trustId)
      .map((row) => concernItem(row, this.clock.now()));
    await this.audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'concerns.inbox_viewed',
      entityType: 'crisis_team',
      entityId: crisisTeamId,
      detail: { shown: items.length },
    });
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
  }

  async acknowledge(ctx: StaffContext, id: string, version: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = await concernFor(this.concerns, ctx, tx, id, 'concern.respond');
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
      const row = await concernFor(this.concerns, ctx, tx, id, 'concern.respond');
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
}
