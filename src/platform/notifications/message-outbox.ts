/**
 * The message outbox (docs/architecture.md, "Sending messages"). Deciding to send and the
 * message are committed together: a service calls `enqueue(tx, message)` inside the
 * transaction that records its decision (a reminder due, an escalation step, an alert), so a
 * crash keeps both or neither. `dispatchDue` then sends them one at a time:
 *
 *   1 claim ONE due message (FOR UPDATE SKIP LOCKED), mark it 'sending' with a lease, commit;
 *   2 if it was already tried (a lease that ran out while 'sending', or an earlier error), ask
 *     the provider by the message's reference whether it went: if it did, record it as sent;
 *   3 otherwise hand it to the provider with its id as the idempotency reference;
 *   4 record the outcome: sent; or queued again with back-off (1, 2, 4, 8… minutes); or, after
 *     maxAttempts, 'not_delivered': shown to the coordinator and, for safety messages, told to
 *     the team's duty contact.
 *
 * A kill -9 anywhere loses nothing (the message stays queued or 'sending' until its lease runs
 * out) and sends nothing twice (step 2). Each source kind can react to the outcome in the same
 * transaction (`OutboxOutcomeHandler`): a reminder row becomes 'sent', an escalation step with
 * nobody reached moves to the next person.
 */
import type { ErrorLog } from '../logger.ts';
import { randomUUID } from 'node:crypto';
import type { Db } from '../database/database.ts';
import type { Clock } from '../clock.ts';
import type { AuditService } from '../../audit/audit.service.ts';
import type { Channel, NotificationSender, NotificationTemplate } from './notification-sender.ts';
import type { MessageOutboxRepository, OutboxRow } from './message-outbox.repository.ts';

export interface OutboxMessage {
  channel: Channel;
  to: string;
  template: NotificationTemplate;
  personalisation: Record<string, string>;
  /** The whole text, for the local outbox only (see OutgoingMessage.preview). */
  preview?: string;
  /** What decided to send it: one message per (kind, id, recipient), however often it is decided. */
  source: { kind: string; id: string };
  /** A safety message: if it cannot be sent, `dutyContact` (an email address) is told. */
  safety?: boolean;
  dutyContact?: string | null;
  /** The trust whose coordinator sees it if it cannot be sent. */
  trustId?: string | null;
  /** A safety message's crisis team, whose duty inbox shows it if it cannot be sent. */
  crisisTeamId?: string | null;
  /** Not worth sending after this (a reminder for a session that has started). */
  expiresAt?: Date;
}

export type OutboxOutcome = 'sent' | 'retrying' | 'not_delivered' | 'expired';

/** A source kind's reaction to what became of its message, in the transaction that records it. */
export type OutboxOutcomeHandler = (tx: Db, message: OutboxRow, outcome: OutboxOutcome) => Promise<void>;

export interface OutboxSettings {
  maxAttempts: number;
  /** How long a claimed message is held before another sender may check and take it over. */
  leaseMs: number;
}

/** The wait before attempt `attempts + 1`: 1, 2, 4, 8… minutes. */
export function outboxRetryDelayMs(attempts: number): number {
  return 2 ** Math.max(0, attempts - 1) * 60_000;
}

export const UNDELIVERED_NOTICE_SOURCE = 'undelivered-notice';

export class MessageOutbox {
  private readonly db: Db;
  private readonly outbox: MessageOutboxRepository;
  private readonly sender: NotificationSender;
  private readonly audit: AuditService;
  private readonly clock: Clock;
  private readonly settings: OutboxSettings;
  private readonly handlers = new Map<string, OutboxOutcomeHandler>();
  private readonly log: ErrorLog;

  constructor(
    db: Db,
    outbox: MessageOutboxRepository,
    sender: NotificationSender,
    audit: AuditService,
    clock: Clock,
    settings: OutboxSettings,
    log: ErrorLog,
  ) {
    this.db = db;
    this.outbox = outbox;
    this.sender = sender;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
    this.log = log;
  }

  /** Lets a source kind record what became of its messages (one handler per kind). */
  onOutcome(sourceKind: string, handler: OutboxOutcomeHandler): void {
    this.handlers.set(sourceKind, handler);
  }

  /**
   * Puts a message in the outbox. Call it with the transaction that records the decision to
   * send. Returns the message's id (its provider reference), or undefined when this source
   * had already enqueued a message to this recipient.
   */
  async enqueue(tx: Db, message: OutboxMessage): Promise<string | undefined> {
    const id = randomUUID();
    const now = this.clock.now();
    const inserted = await this.outbox.insertOnce(tx, {
      id,
      channel: message.channel,
      recipient: message.to,
      template: message.template,
      personalisation: message.personalisation,
      preview: message.preview ?? null,
      safety: message.safety ?? false,
      dutyContact: message.dutyContact ?? null,
      trustId: message.trustId ?? null,
      crisisTeamId: message.crisisTeamId ?? null,
      sourceKind: message.source.kind,
      sourceId: message.source.id,
      state: 'queued',
      attempts: 0,
      nextAttemptAt: now,
      expiresAt: message.expiresAt ?? null,
      createdAt: now,
    });
    return inserted ? id : undefined;
  }

  /** Clears a message's text (a code or a link), in the transaction of an outcome handler. */
  async forgetText(tx: Db, message: OutboxRow): Promise<void> {
    await this.outbox.clearText(tx, message.id);
  }

  /** Where a message is now: queued, sending, sent, not_delivered or expired. */
  async stateOf(id: string): Promise<string | undefined> {
    return (await this.outbox.findById(this.db, id))?.state;
  }

  /** The messages a source enqueued (read in the caller's transaction). */
  messagesOf(tx: Db, sourceKind: string, sourceId: string): Promise<OutboxRow[]> {
    return this.outbox.forSource(tx, sourceKind, [sourceId]);
  }

  /** Sends every message due by the app clock's now, one at a time. Safe to run anywhere, at once. */
  async dispatchDue(limit = 500): Promise<Record<OutboxOutcome | 'interrupted', number>> {
    const outcome = { sent: 0, retrying: 0, not_delivered: 0, expired: 0, interrupted: 0 };
    for (let i = 0; i < limit; i++) {
      const now = this.clock.now();
      const claimed = await this.db.transaction((tx) =>
        this.outbox.claimNext(tx, now, new Date(now.getTime() + this.settings.leaseMs)),
      );
      if (!claimed) break;
      const result = await this.dispatch(claimed);
      outcome[result] += 1;
    }
    return outcome;
  }

  private async dispatch(before: OutboxRow): Promise<OutboxOutcome | 'interrupted'> {
    const row: OutboxRow = { ...before, state: 'sending', attempts: before.attempts + 1 };
    const message = {
      channel: row.channel,
      to: row.recipient,
      template: row.template as NotificationTemplate,
      personalisation: row.personalisation,
      ...(row.preview === null ? {} : { preview: row.preview }),
      reference: row.id,
    };
    try {
      // Tried before (interrupted, or an error that may have come after the provider took it):
      // ask first, so a message that went is never sent twice.
      if (before.attempts > 0) {
        const found = await this.sender.findSent(message);
        if (found)
          return await this.finish(row, 'sent', { providerReference: found.providerReference ?? null });
      }
      if (row.expiresAt && row.expiresAt.getTime() <= this.clock.now().getTime()) {
        return await this.finish(row, 'expired', { lastError: 'too late to be of use' });
      }
      const sent = await this.sender.send(message);
      return await this.finish(row, 'sent', { providerReference: sent.providerReference ?? null });
    } catch (error) {
      return this.recordFailure(row, error);
    }
  }

  private async recordFailure(row: OutboxRow, error: unknown): Promise<OutboxOutcome | 'interrupted'> {
    const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    if (row.attempts < this.settings.maxAttempts) {
      return this.finish(row, 'retrying', {
        lastError,
        nextAttemptAt: new Date(this.clock.now().getTime() + outboxRetryDelayMs(row.attempts)),
      });
    }
    this.log.error({ err: error, messageId: row.id, template: row.template }, 'a message was not delivered');
    return this.finish(row, 'not_delivered', { lastError });
  }

  /** Records the outcome, the source's reaction, and (given up on) the audit event and the duty notice. */
  private async finish(
    row: OutboxRow,
    outcome: OutboxOutcome,
    changes: { providerReference?: string | null; lastError?: string; nextAttemptAt?: Date },
  ): Promise<OutboxOutcome | 'interrupted'> {
    const now = this.clock.now();
    const state = outcome === 'retrying' ? 'queued' : outcome;
    const finished = outcome === 'sent' || outcome === 'not_delivered' || outcome === 'expired';
    return this.db.transaction(async (tx) => {
      const recorded = await this.outbox.finish(tx, row.id, row.attempts, {
        state,
        leaseUntil: null,
        ...(outcome === 'sent' ? { lastError: null, finishedAt: now } : {}),
        ...(finished ? { finishedAt: now } : {}),
        // A code or a calendar link is kept no longer than it takes to send it.
        ...(outcome === 'sent' || outcome === 'expired' ? { personalisation: {}, preview: null } : {}),
        ...changes,
      });
      // Another sender took it over after our lease ran out: its outcome stands.
      if (!recorded) return 'interrupted';
      const updated: OutboxRow = { ...row, state, ...changes };
      await this.handlers.get(row.sourceKind)?.(tx, updated, outcome);
      if (outcome === 'not_delivered') await this.giveUp(tx, updated);
      return outcome;
    });
  }

  private async giveUp(tx: Db, row: OutboxRow): Promise<void> {
    await this.audit.record(tx, {
      actor: { kind: 'system' },
      ip: null,
      action: 'message.not_delivered',
      entityType: 'message',
      entityId: row.id,
      detail: { template: row.template, channel: row.channel, attempts: row.attempts, safety: row.safety },
    });
    // A safety message nobody received: the duty contact hears (never about the notice itself).
    if (row.safety && row.dutyContact && row.dutyContact !== row.recipient) {
      await this.enqueue(tx, {
        channel: 'email',
        to: row.dutyContact,
        template: 'message_not_delivered',
        personalisation: { kind: UNDELIVERED_WORDS[row.template] ?? 'safety message' },
        preview:
          `A ${UNDELIVERED_WORDS[row.template] ?? 'safety message'} from Greenleaf could not be delivered ` +
          `after ${String(row.attempts)} tries. Open Greenleaf and check the messages not delivered.`,
        source: { kind: UNDELIVERED_NOTICE_SOURCE, id: row.id },
        trustId: row.trustId,
        crisisTeamId: row.crisisTeamId,
      });
    }
  }
}

const UNDELIVERED_WORDS: Record<string, string> = {
  concern_escalation: 'safety concern escalation email',
  lone_working_alert: 'lone working alert email',
};
