/**
 * Audit is a service (STYLE.md habit 13): every change calls `record` with the transaction
 * that does the work, so both commit or neither; every read of an identifiable record calls
 * `recordRead`, which resolves once the event is in the log (read-events.ts: batched with the
 * other reads of the moment), before the page is sent.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { Actor } from '../policy/actor.ts';
import type { AuditAction } from './audit-actions.ts';
import { eventMac, type ChainedFields } from './audit-chain.ts';
import type { CheckpointRef } from './audit-checkpoint.ts';
import type { AuditKey } from './audit-key.ts';
import { AuditLogVerifier, type AuditVerdict } from './audit-verifier.ts';
import type { AuditRepository, SignedEvent } from './audit.repository.ts';
import type { ReadEventBatches } from './read-events.ts';

export type { AuditVerdict } from './audit-verifier.ts';

export interface AuditEntry {
  actor: Pick<Actor, 'kind' | 'id'> | { kind: 'system' } | { kind: 'anonymous' };
  ip: string | null;
  action: AuditAction;
  entityType: string;
  entityId: string | null;
  detail?: Record<string, unknown>;
}

/** What the service needs of the audit log's storage (an in-memory one in service tests). */
export type AuditStore = Pick<AuditRepository, 'append' | 'page'>;

export class AuditService {
  private readonly repository: AuditStore;
  private readonly clock: Clock;
  private readonly key: AuditKey;
  private readonly reads: ReadEventBatches | undefined;

  /** `reads`: where `recordRead` writes; a service built without it records changes only. */
  constructor(repository: AuditStore, clock: Clock, key: AuditKey, reads?: ReadEventBatches) {
    this.repository = repository;
    this.clock = clock;
    this.key = key;
    this.reads = reads;
  }

  async record(tx: Db, entry: AuditEntry): Promise<void> {
    const { fields, bodyMac } = this.sign(entry);
    await this.repository.append(tx, fields, bodyMac);
  }

  /**
   * The event and its MAC, for a change made in one statement that appends it itself
   * (`appendCall` in audit.repository.ts): it is in the log if and only if the change is.
   */
  sign(entry: AuditEntry): SignedEvent {
    const fields = this.fields(entry);
    return { fields, bodyMac: eventMac(this.key, fields) };
  }

  /**
   * A read of an identifiable record, needing no transaction of the caller's: resolves once
   * the event is in the log. Await it before showing what was read.
   */
  async recordRead(entry: AuditEntry): Promise<void> {
    if (!this.reads) throw new Error('this audit service was built without a place to write reads');
    await this.reads.write(this.sign(entry));
  }

  private fields(entry: AuditEntry): ChainedFields {
    return {
      occurredAt: this.clock.now(),
      actorType: entry.actor.kind,
      actorId: entry.actor.kind === 'staff' || entry.actor.kind === 'participant' ? entry.actor.id : null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      // Node has no address for a client that has already gone: recorded as unknown, not a failed write.
      ip: entry.ip ?? null,
      detail: entry.detail ?? {},
    };
  }

  /**
   * Walks every chain with the key, and compares it with the checkpoints given (signed ones
   * only: see readCheckpoints). Damage is reported in the verdict, never thrown.
   */
  async verify(db: Db, checkpoints: readonly CheckpointRef[] = []): Promise<AuditVerdict> {
    const verifier = new AuditLogVerifier(this.key, checkpoints);
    let afterSeq = 0;
    for (;;) {
      let page;
      try {
        page = await this.repository.page(db, afterSeq, 1000);
      } catch (error) {
        const verdict = verifier.finish();
        const problem = {
          kind: 'unreadable' as const,
          chain: null,
          seq: null,
          message: `The audit log could not be read after event ${String(afterSeq)}: ${(error as Error).message}`,
        };
        return { ...verdict, ok: false, problems: [problem, ...verdict.problems] };
      }
      if (page.length === 0) return verifier.finish();
      for (const row of page) {
        verifier.visit(row);
        afterSeq = row.seq;
      }
    }
  }
}
