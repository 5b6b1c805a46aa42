import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** What an event's hash covers besides its place in the chain (previous hash and seq). */
export interface ChainedFields {
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  entityType: string;
  entityId: string | null;
  ip: string | null;
  detail: Record<string, unknown>;
}

/** JSON with object keys sorted at every depth: jsonb reorders keys, so hashes must not depend on order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The canonical text of an event, which the database hashes with its link when appending. */
export function eventBody(fields: ChainedFields): string {
  return canonicalJson({ ...fields, occurredAt: fields.occurredAt.toISOString() });
}

/** sha256(prev_hash \n seq \n body): the same formula as audit_append() in the database. */
export function chainHash(prevHash: string, seq: number, fields: ChainedFields): string {
  return createHash('sha256')
    .update(`${prevHash}\n${String(seq)}\n${eventBody(fields)}`)
    .digest('hex');
}
