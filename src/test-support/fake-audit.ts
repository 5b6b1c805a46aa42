/**
 * The real AuditService over an in-memory audit log, for service tests. Events are chained as
 * audit_append() chains them (one chain, sha256(prev_hash \n seq \n MAC)), so what a test
 * reads is what the service wrote and `verify` checks it as it would the real log. Rolled back
 * with the transaction that wrote them.
 */
import type { Db } from '../platform/database/database.ts';
import type { Clock } from '../platform/clock.ts';
import { GENESIS_HASH, type ChainedFields } from '../audit/audit-chain.ts';
import { AuditService, type AuditStore } from '../audit/audit.service.ts';
import type { AuditEventRow, SignedEvent } from '../audit/audit.repository.ts';
import { ReadEventBatches } from '../audit/read-events.ts';
import { createHash } from 'node:crypto';
import type { FakeDatabase, FakeTable } from './fake-db.ts';
import { TEST_AUDIT_KEY } from './audit-key.ts';

type StoredEvent = AuditEventRow & { id: string };

export class FakeAuditRepository implements AuditStore {
  private readonly events: FakeTable<StoredEvent>;

  constructor(database: FakeDatabase) {
    this.events = database.table<StoredEvent>('audit_events');
  }

  async append(_db: Db, fields: ChainedFields, bodyMac: string): Promise<number> {
    const previous = this.events.all().at(-1);
    const seq = (previous?.seq ?? 0) + 1;
    const prevHash = previous?.hash ?? GENESIS_HASH;
    const hash = createHash('sha256')
      .update(`${prevHash}\n${String(seq)}\n${bodyMac}`, 'utf8')
      .digest('hex');
    // jsonb keeps only what JSON can say: the detail is stored as it would come back.
    const detail = JSON.parse(JSON.stringify(fields.detail)) as Record<string, unknown>;
    this.events.insert({ ...fields, detail, id: String(seq), seq, chain: 0, prevHash, hash, keyed: true });
    return seq;
  }

  async appendMany(db: Db, events: readonly SignedEvent[]): Promise<void> {
    for (const { fields, bodyMac } of events) await this.append(db, fields, bodyMac);
  }

  async page(_db: Db, afterSeq: number, limit: number): Promise<AuditEventRow[]> {
    return this.rows()
      .filter((row) => row.seq > afterSeq)
      .slice(0, limit);
  }

  /** Every event written and not rolled back, in order. */
  rows(): AuditEventRow[] {
    return this.events.all().map(({ id: _id, ...row }) => row);
  }
}

export interface FakeAudit {
  audit: AuditService;
  log: FakeAuditRepository;
  /** The events written, in order: what a test asserts on. */
  events(): AuditEventRow[];
  /** Those of one action. */
  ofAction(action: string): AuditEventRow[];
}

export function fakeAudit(database: FakeDatabase, clock: Clock): FakeAudit {
  const log = new FakeAuditRepository(database);
  return {
    audit: new AuditService(log, clock, TEST_AUDIT_KEY, new ReadEventBatches(database.db, log)),
    log,
    events: () => log.rows(),
    ofAction: (action) => log.rows().filter((row) => row.action === action),
  };
}
