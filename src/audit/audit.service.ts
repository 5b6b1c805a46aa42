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
    const fields: ChainedFields = {
      occurredAt: this.clock.now(),
      actorType: entry.actor.kind,
      actorId: entry.actor.kind === 'staff' || entry.actor.kind === 'participant' ? entry.actor.id : null,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      ip: entry.ip,
      detail: entry.detail ?? {},
    };
    await this.repository.append(tx, fields);
  }

  /**
   * Walks every chain in global order and reports the first row whose link to the previous
   * row of its chain, or whose own contents, do not match. A changed, removed or inserted row
   * breaks a link.
   */
  async verify(db: Db): Promise<AuditVerdict> {
    const lastHashOf = new Map<number, string>();
    let afterSeq = 0;
    let checked = 0;
    for (;;) {
      const page = await this.repository.page(db, afterSeq, 1000);
      if (page.length === 0) return { ok: true, checked };
      for (const row of page) {
        const { prevHash, hash, chain, seq, ...fields } = row;
        if (prevHash !== (lastHashOf.get(chain) ?? GENESIS_HASH)) {
          return {
            ok: false,
            checked,
            brokenAt: row.seq,
            reason: 'its link to the previous event does not match',
          };
        }
        if (chainHash(prevHash, seq, fields) !== hash) {
          return {
            ok: false,
            checked,
            brokenAt: row.seq,
            reason: 'its contents were changed after it was written',
          };
        }
        lastHashOf.set(chain, hash);
        afterSeq = row.seq;
        checked += 1;
      }
    }
  }
}
