import { asc, eq, gt, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../platform/database/database.ts';
import { auditEvents } from '../platform/database/schema.ts';
import type { ChainedFields } from './audit-chain.ts';

export type AuditEventRow = typeof auditEvents.$inferSelect;

/** An event and its MAC, ready to be chained. */
export interface SignedEvent {
  fields: ChainedFields;
  bodyMac: string;
}

/** A chain's state at one moment: how many events it holds and its last one. */
export interface ChainHead {
  chain: number;
  count: number;
  seq: number;
  hash: string;
}

interface HeadRow {
  chain: number | string;
  seq: number | string | null;
  hash: string | null;
  count: number | string;
  recounted: boolean;
}

/**
 * The call that appends an event to this connection's chain: audit_append(), see
 * migrations/2026-12-03-301-keyed-audit-chain.sql. Part of a bigger statement when a change is
 * one statement (a session's record); it returns the event's sequence number.
 */
export function appendCall({ fields, bodyMac }: SignedEvent): SQL {
  return sql`audit_append(
        ${fields.occurredAt.toISOString()}::timestamptz, ${fields.actorType}, ${fields.actorId}::uuid,
        ${fields.action}, ${fields.entityType}, ${fields.entityId}, ${fields.ip},
        ${JSON.stringify(fields.detail)}::jsonb, ${bodyMac})`;
}

export class AuditRepository {
  /**
   * Appends an event to this connection's chain in one round trip (audit_append(), see
   * migrations/2026-12-03-301-keyed-audit-chain.sql). Returns its sequence number.
   */
  async append(db: Db, fields: ChainedFields, bodyMac: string): Promise<number> {
    const result: unknown = await db.execute(sql`SELECT ${appendCall({ fields, bodyMac })} AS seq`);
    const [row] = (result as { rows: { seq: number | string }[] }).rows;
    return Number(row?.seq);
  }

  /**
   * Appends events in the order given, in one statement (its own transaction unless `db` is
   * one): audit_append_many(), migrations/2026-12-04-010-audit-append-many.sql.
   */
  async appendMany(db: Db, events: readonly SignedEvent[]): Promise<void> {
    const payload = events.map(({ fields, bodyMac }) => ({
      ...fields,
      occurredAt: fields.occurredAt.toISOString(),
      bodyMac,
    }));
    await db.execute(sql`SELECT audit_append_many(${JSON.stringify(payload)}::jsonb)`);
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

  /**
   * Every non-empty chain's count and head, in one statement (one snapshot). A chain whose
   * earlier head is still there is counted on from it, using the (chain, seq) index; the
   * others are counted whole. Within a chain seq only grows in commit order (appends hold the
   * chain's lock until commit), so nothing can appear later below an earlier head. `recounted`
   * names the chains whose earlier head had gone.
   */
  async chainHeads(
    db: Db,
    earlier: readonly ChainHead[],
  ): Promise<{ heads: ChainHead[]; recounted: number[] }> {
    const known = new Map(earlier.map((h) => [h.chain, h]));
    const chains = Array.from(
      { length: 64 },
      (_, chain) => known.get(chain) ?? { chain, count: 0, seq: 0, hash: '' },
    );
    const result: unknown = await db.execute(sql`
      SELECT h.chain, head.seq, head.hash, h.after_seq > 0 AND NOT kept.found AS recounted,
             CASE WHEN kept.found
                  THEN h.after_count + (SELECT count(*) FROM audit_events e WHERE e.chain = h.chain AND e.seq > h.after_seq)
                  ELSE (SELECT count(*) FROM audit_events e WHERE e.chain = h.chain) END AS count
        FROM unnest(${`{${chains.map((c) => c.chain).join(',')}}`}::smallint[],
                    ${`{${chains.map((c) => c.seq).join(',')}}`}::bigint[],
                    ${`{${chains.map((c) => c.hash || '-').join(',')}}`}::text[],
                    ${`{${chains.map((c) => c.count).join(',')}}`}::bigint[])
               AS h(chain, after_seq, after_hash, after_count)
        CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM audit_events p
                             WHERE p.chain = h.chain AND p.seq = h.after_seq AND p.hash = h.after_hash) AS found) kept
        LEFT JOIN LATERAL (SELECT seq, hash FROM audit_events e WHERE e.chain = h.chain ORDER BY seq DESC LIMIT 1) head ON true
       ORDER BY h.chain`);
    const rows = (result as { rows: HeadRow[] }).rows;
    return {
      heads: rows
        .filter((r) => r.seq !== null && r.hash !== null)
        .map((r) => ({
          chain: Number(r.chain),
          count: Number(r.count),
          seq: Number(r.seq),
          hash: r.hash ?? '',
        })),
      recounted: rows.filter((r) => r.recounted).map((r) => Number(r.chain)),
    };
  }
}
