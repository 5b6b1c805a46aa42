/**
 * Audit is a service (STYLE.md habit 13): every change and every read of an identifiable
 * record calls `record` with the transaction that does the work, so both commit or neither.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import type { Actor } from '../policy/actor.ts';
import type { AuditAction } from './audit-actions.ts';
import { chainHash, GENESIS_HASH, type ChainedFields } from './audit-chain.ts';
import type { AuditRepository } from './audit.repository.ts';

export interface AuditEntry {
  actor: Pick<Actor, 'kind' | 'id'> | { kind: 'system' } | { kind: 'anonymous' };
  ip: string | null;
  action: AuditAction;
  entityType: string;
  entityId: string | null;
  detail?: Record<string, unknown>;
}

export type AuditVerdict =
  { ok: true; checked: number } | { ok: false; checked: number; brokenAt: number; reason: string };

export class AuditService {
  private readonly repository: AuditRepository;
  private readonly clock: Clock;

  constructor(repository: AuditRepository, clock: Clock) {
    this.repository = repository;
    this.clock = clock;
  }

  async record(tx: Db, entry: AuditEntry): Promise<void> {
    await this.repository.lockChain(tx);
    const last = await this.repository.last(tx);
    const fields: ChainedFields = {
      seq: (last?.seq ?? 0) + 1,
      occurredAt: this.clock.now(),
      actorType: entry.actor.kind,
      actorId: entry.actor.kind === 'staff' || entry.actor.kind === 'participant' ? entry.actor.id : null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      ip: entry.ip,
      detail: entry.detail ?? {},
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    await this.repository.insert(tx, { ...fields, prevHash, hash: chainHash(prevHash, fields) });
  }

  /** Walks the whole chain and reports the first row whose link or content does not match. */
  async verify(db: Db): Promise<AuditVerdict> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const page = await this.repository.page(db, expectedSeq - 1, 1000);
      if (page.length === 0) return { ok: true, checked };
      for (const row of page) {
        if (row.seq !== expectedSeq) {
          return { ok: false, checked, brokenAt: expectedSeq, reason: `event ${expectedSeq} is missing` };
        }
        if (row.prevHash !== prevHash) {
          return {
            ok: false,
            checked,
            brokenAt: row.seq,
            reason: 'its link to the previous event does not match',
          };
        }
        const { prevHash: _stored, hash, ...fields } = row;
        if (chainHash(prevHash, fields) !== hash) {
          return {
            ok: false,
            checked,
            brokenAt: row.seq,
            reason: 'its contents were changed after it was written',
          };
        }
        prevHash = hash;
        expectedSeq += 1;
        checked += 1;
      }
    }
  }
}
