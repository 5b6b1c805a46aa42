import { asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { auditEvents } from '../platform/database/schema.ts';

export type AuditEventRow = typeof auditEvents.$inferSelect;

// Arbitrary constant naming the audit chain's advisory lock.
const AUDIT_CHAIN_LOCK = 7318002;

export class AuditRepository {
  /** Serialises appends (held to the end of the caller's transaction) so the chain never forks. */
  async lockChain(db: Db): Promise<void> {
    await db.execute(sql`SELECT pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  }

  async last(db: Db): Promise<{ seq: number; hash: string } | undefined> {
    const [row] = await db
      .select({ seq: auditEvents.seq, hash: auditEvents.hash })
      .from(auditEvents)
      .orderBy(desc(auditEvents.seq))
      .limit(1);
    return row;
  }

  async insert(db: Db, row: AuditEventRow): Promise<void> {
    await db.insert(auditEvents).values(row);
  }

  async page(db: Db, afterSeq: number, limit: number): Promise<AuditEventRow[]> {
    return db
      .select()
      .from(auditEvents)
      .where(gt(auditEvents.seq, afterSeq))
      .orderBy(asc(auditEvents.seq))
      .limit(limit);
  }

  async forEntity(db: Db, entityType: string, entityId: string): Promise<AuditEventRow[]> {
    return db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.entityType} = ${entityType} AND ${eq(auditEvents.entityId, entityId)}`)
      .orderBy(asc(auditEvents.seq));
  }
}
