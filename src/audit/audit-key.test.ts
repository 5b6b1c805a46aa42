import { createHash, createHmac } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { keyedChainHash, eventBody, type ChainedFields } from './audit-chain.ts';
import { AuditKey, AuditKeyError, embeddedAuditKey, parseAuditKey, resolveAuditKey } from './audit-key.ts';

const KEY_BYTES = Buffer.alloc(32, 7);
const fields: ChainedFields = {
  occurredAt: new Date('2026-12-03T10:00:00Z'),
  actorType: 'staff',
  actorId: '6f1c5a4e-2b1d-4c53-9a3e-0d7a1e5b9c01',
  action: 'participant.viewed',
  entityType: 'participant',
  entityId: 'abc',
  ip: '203.0.113.9',
  detail: { page: 'summary', b: 1, a: [2, { d: 1, c: 2 }] },
};

let folder: string;
beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'greenleaf-key-'));
});
afterEach(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('the audit key', () => {
  it('is read from hex or base64 and refused when shorter than 32 bytes', () => {
    expect(parseAuditKey(KEY_BYTES.toString('hex'))?.id).toBe(new AuditKey(KEY_BYTES).id);
    expect(parseAuditKey(KEY_BYTES.toString('base64'))?.id).toBe(new AuditKey(KEY_BYTES).id);
    expect(parseAuditKey(Buffer.alloc(31, 7).toString('base64'))).toBeUndefined();
    expect(parseAuditKey('not a key at all!')).toBeUndefined();
  });

  it('never shows itself in logs, JSON or inspection', () => {
    const key = new AuditKey(KEY_BYTES);
    const shown = [JSON.stringify({ key }), inspect(key), String(key), inspect({ nested: { key } })].join(
      ' ',
    );
    expect(shown).not.toContain(KEY_BYTES.toString('hex'));
    expect(shown).not.toContain(KEY_BYTES.toString('base64'));
    expect(shown).toContain(key.id);
  });

  it('signs an event as sha256(prev \\n seq \\n HMAC-SHA256(key, body)), as Node computes it independently', () => {
    const prev = 'a'.repeat(64);
    const mac = createHmac('sha256', KEY_BYTES).update(eventBody(fields)).digest('hex');
    const expected = createHash('sha256').update(`${prev}\n42\n${mac}`).digest('hex');
    expect(keyedChainHash(new AuditKey(KEY_BYTES), prev, 42, fields)).toBe(expected);
  });

  it('is made on first start for the embedded database, readable by its owner only, and the same afterwards', () => {
    const made = embeddedAuditKey(folder, { create: true });
    const file = path.join(folder, 'audit-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(embeddedAuditKey(folder, { create: false }).id).toBe(made.id);
    expect(readFileSync(file, 'utf8').trim()).toHaveLength(44);
  });

  it('is refused when its file can be read by other users, or is missing where it must not be made', () => {
    expect(() => embeddedAuditKey(folder, { create: false })).toThrow(
      /AUDIT_KEY is not set and .*audit-key does not exist/,
    );
    const file = path.join(folder, 'audit-key');
    writeFileSync(file, KEY_BYTES.toString('base64'));
    chmodSync(file, 0o644);
    expect(() => embeddedAuditKey(folder, { create: false })).toThrow(
      /can be read by other users.*chmod 600/,
    );
  });

  it('comes from AUDIT_KEY first, and is required on PostgreSQL, naming the setting', () => {
    const fromEnv = loadConfig({ AUDIT_KEY: KEY_BYTES.toString('base64'), DATA_DIR: folder });
    expect(resolveAuditKey(fromEnv, { create: true }).id).toBe(new AuditKey(KEY_BYTES).id);
    const postgres = loadConfig({ DATABASE_URL: 'postgres://db/greenleaf', DATA_DIR: folder });
    expect(() => resolveAuditKey(postgres, { create: true })).toThrow(AuditKeyError);
    expect(() => resolveAuditKey(postgres, { create: true })).toThrow(/^AUDIT_KEY: /);
  });
});
