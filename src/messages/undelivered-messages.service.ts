/**
 * The messages not delivered (docs/architecture.md, "Sending messages"): the trust's messages
 * the outbox gave up on after its retries, for the coordinator to follow up by another route.
 * Reading the list is audited: it names who a message was for.
 */
import type { Db } from '../platform/database/database.ts';
import { ForbiddenError } from '../platform/errors.ts';
import type { AuditService } from '../audit/audit.service.ts';
import type {
  MessageOutboxRepository,
  OutboxRow,
} from '../platform/notifications/message-outbox.repository.ts';
import { can } from '../policy/policy.ts';
import type { RequestContext, StaffActor } from '../policy/actor.ts';

type StaffContext = RequestContext & { actor: StaffActor };

/** The most the page lists; older ones stay in the table and the audit log. */
export const NOT_DELIVERED_SHOWN = 200;

export interface UndeliveredMessage {
  id: string;
  createdAt: Date;
  givenUpAt: Date | null;
  channel: 'sms' | 'email';
  template: string;
  recipient: string;
  attempts: number;
  lastError: string | null;
  safety: boolean;
}

export class UndeliveredMessagesService {
  readonly #db: Db;
  readonly #outbox: MessageOutboxRepository;
  readonly #audit: AuditService;

  constructor(db: Db, outbox: MessageOutboxRepository, audit: AuditService) {
    this.#db = db;
    this.#outbox = outbox;
    this.#audit = audit;
  }

  /**
   * A crisis team's safety messages not delivered, for the top of its duty inbox: read with the
   * `db` the inbox gives, and audited (resolving once the read event is in the log). Nothing
   * for anyone else.
   */
  async safetyForTeam(db: Db, ctx: StaffContext, crisisTeamId: string): Promise<UndeliveredMessage[]> {
    const trustId = ctx.actor.trustId;
    if (!can(ctx.actor, 'messages.view_undelivered', { type: 'crisisTeam', trustId, crisisTeamId }))
      return [];
    const rows = await this.#outbox.safetyNotDeliveredForTeam(db, trustId, crisisTeamId, NOT_DELIVERED_SHOWN);
    if (rows.length > 0) {
      await this.#audit.recordRead({
        actor: ctx.actor,
        ip: ctx.ip,
        action: 'messages.not_delivered_viewed',
        entityType: 'crisis_team',
        entityId: crisisTeamId,
        detail: { messages: rows.map((row) => row.id) },
      });
    }
    return rows.map(undeliveredMessage);
  }

  /** The coordinator's list of their trust's messages not delivered, newest first. */
  async forTrust(ctx: StaffContext): Promise<UndeliveredMessage[]> {
    const trustId = ctx.actor.trustId;
    if (!can(ctx.actor, 'messages.view_undelivered', { type: 'trust', trustId })) throw new ForbiddenError();
    const rows = await this.#outbox.notDelivered(this.#db, trustId, NOT_DELIVERED_SHOWN);
    await this.#audit.recordRead({
      actor: ctx.actor,
      ip: ctx.ip,
      action: 'messages.not_delivered_viewed',
      entityType: 'trust',
      entityId: trustId,
      detail: { messages: rows.map((row) => row.id) },
    });
    return rows.map(undeliveredMessage);
  }
}

function undeliveredMessage(row: OutboxRow): UndeliveredMessage {
  return {
    id: row.id,
    createdAt: row.createdAt,
    givenUpAt: row.finishedAt,
    channel: row.channel,
    template: row.template,
    recipient: row.recipient,
    attempts: row.attempts,
    lastError: row.lastError,
    safety: row.safety,
  };
}
