import { createHash } from 'node:crypto';
import type { AuditKey } from './audit-key.ts';

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

/** The canonical text of an event, which the application signs and the database chains. */
export function eventBody(fields: ChainedFields): string {
  return canonicalJson({ ...fields, occurredAt: fields.occurredAt.toISOString() });
}

/** HMAC-SHA256 of the event's body with the audit key: handed to audit_append(), stored nowhere. */
export function eventMac(key: AuditKey, fields: ChainedFields): string {
  return key.mac(eventBody(fields));
}

/**
 * A keyed event's hash: sha256(prev_hash \n seq \n HMAC(key, body)), the formula of
 * audit_append() (migrations/2026-12-03-301-keyed-audit-chain.sql). Without the key nobody can
 * make the MAC of a changed body, nor of an event they want to re-link around a deleted one.
 */
export function keyedChainHash(key: AuditKey, prevHash: string, seq: number, fields: ChainedFields): string {
  return sha256Hex(`${prevHash}\n${String(seq)}\n${eventMac(key, fields)}`);
}

/** An event written before the chain was keyed: sha256(prev_hash \n seq \n body). */
export function unkeyedChainHash(prevHash: string, seq: number, fields: ChainedFields): string {
  return sha256Hex(`${prevHash}\n${String(seq)}\n${eventBody(fields)}`);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
