/**
 * A deployment whose audit log was written before the chain was keyed: the upgrade keeps
 * those events verifiable, and the first checkpoint vouches for them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ManualClock } from '../platform/clock.ts';
import type { Database } from '../platform/database/database.ts';
import { migrate, readMigrations } from '../platform/database/migrate.ts';
import { createTestDatabase, testDatabaseEngine } from '../platform/database/test-database.ts';
import { TEST_AUDIT_KEY } from '../test-support/audit-key.ts';
import { eventBody, type ChainedFields } from './audit-chain.ts';
import { AuditCheckpointService } from './audit-checkpoint.service.ts';
import type { CheckpointRef, SignedCheckpoint } from './audit-checkpoint.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditService } from './audit.service.ts';

const clock = new ManualClock('2026-12-03T10:00:00Z');
const repository = new AuditRepository();
const audit = new AuditService(repository, clock, TEST_AUDIT_KEY);
let database: Database;

const fields = (i: number): ChainedFields => ({
  occurredAt: new Date(`2026-11-2${String(i)}T09:00:00Z`),
  actorType: 'system',
  actorId: null,
  action: 'outbox.viewed',
  entityType: 'test',
  entityId: String(i),
  ip: null,
  detail: { before: 'the key' },
});

/** audit_append() as the application called it before the key: with the event's body. */
const appendWithBody = (f: ChainedFields) =>
  database.db.execute(sql`SELECT audit_append(
    ${f.occurredAt.toISOString()}::timestamptz, ${f.actorType}, ${f.actorId}::uuid, ${f.action},
    ${f.entityType}, ${f.entityId}, ${f.ip}, ${JSON.stringify(f.detail)}::jsonb, ${eventBody(f)})`);

beforeAll(async () => {
  database = await createTestDatabase({ unmigrated: true });
  const migrations = readMigrations();
  const keyed = migrations.findIndex((m) => m.name === '2026-12-03-301-keyed-audit-chain');
  if (keyed < 0) throw new Error('the keyed audit chain migration is missing');
  await migrate(database, migrations.slice(0, keyed));
  for (let i = 1; i <= 3; i++) await appendWithBody(fields(i));
  await migrate(database, migrations);
});
afterAll(async () => {
  await database.close();
});

describe(`upgrading the audit log to the keyed chain on ${testDatabaseEngine()}`, () => {
  it('refuses an application from before the upgrade, which would pass the body', async () => {
    const refused = await appendWithBody(fields(4)).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(String(refused?.cause)).toMatch(/audit_append needs the event's HMAC/);
  });

  it('keeps the old events verifiable once the first checkpoint vouches for them', async () => {
    for (let i = 0; i < 2; i++) {
      await database.db.transaction((tx) =>
        audit.record(tx, {
          actor: { kind: 'system' },
          ip: null,
          action: 'outbox.viewed',
          entityType: 'test',
          entityId: `after ${String(i)}`,
        }),
      );
    }
    const beforeCheckpoint = await audit.verify(database.db);
    expect(beforeCheckpoint.problems.map((p) => p.kind)).toEqual(['unkeyed', 'unkeyed', 'unkeyed']);

    const written: CheckpointRef[] = [];
    const sink = {
      description: 'memory',
      append: (checkpoint: SignedCheckpoint) => {
        written.push({
          takenAt: checkpoint.takenAt,
          chains: checkpoint.chains,
          source: 'memory',
          line: written.length + 1,
        });
        return Promise.resolve();
      },
    };
    await new AuditCheckpointService(database.db, repository, TEST_AUDIT_KEY, clock, sink).take();
    expect(await audit.verify(database.db, written)).toMatchObject({
      ok: true,
      checked: 5,
      unkeyed: 3,
      problems: [],
    });
  });
});
