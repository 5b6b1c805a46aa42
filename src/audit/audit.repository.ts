import { asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { auditEvents } from '../platform/database/schema.ts';
import { eventBody, type ChainedFields } from './audit-chain.ts';

export type AuditEventRow = typeof auditEvents.$inferSelect;

export class AuditRepository {
  /**
   * Appends an event to this connection's chain in one round trip (audit_append(), see
   * migrations/2026-11-26-007-shard-audit-chain.sql). Returns its sequence number.
   */
  async append(db: Db, fields: ChainedFields): Promise<number> {
    const result: unknown = await db.execute(sql`
      SELECT audit_append(
        ${fields.occurredAt.toISOString()}::timestamptz, ${fields.actorType}, ${fields.actorId}::uuid,
        ${fields.action}, ${fields.entityType}, ${fields.entityId}, ${fields.ip},
        ${JSON.stringify(fields.detail)}::jsonb, ${eventBody(fields)}) AS seq`);
    const [row] = (result as { rows: { seq: number | string }[] }).rows;
    return Number(row?.seq);
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
