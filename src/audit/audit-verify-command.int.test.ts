/**
 * `npm run audit:verify` as an operator runs it: what it prints and its exit code, on the
 * embedded database's defaults (the data folder's key and checkpoint file) and with
 * checkpoints saved from the log. The database is handed in, so both engines are covered.
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../platform/clock.ts';
import type { Database } from '../platform/database/database.ts';
import { createTestDatabase, testDatabaseEngine } from '../platform/database/test-database.ts';
import { TEST_AUDIT_KEY } from '../test-support/audit-key.ts';
import { AuditCheckpointService } from './audit-checkpoint.service.ts';
import { embeddedAuditKey, type AuditKey } from './audit-key.ts';
import { runAuditVerify } from './audit-verify-command.ts';
import { AuditRepository } from './audit.repository.ts';
import { AuditService } from './audit.service.ts';
import { FileCheckpointSink, LogCheckpointSink } from './checkpoint-sink.ts';

const clock = new ManualClock('2026-12-03T10:00:00Z');
let database: Database;
let folder: string;

beforeEach(async () => {
  database = await createTestDatabase();
  folder = mkdtempSync(path.join(tmpdir(), 'greenleaf-verify-'));
});
afterEach(async () => {
  await database.close();
  rmSync(folder, { recursive: true, force: true });
});

async function record(key: AuditKey, n: number): Promise<void> {
  const audit = new AuditService(new AuditRepository(), clock, key);
  for (let i = 0; i < n; i++) {
    await database.db.transaction((tx) =>
      audit.record(tx, {
        actor: { kind: 'system' },
        ip: null,
        action: 'outbox.viewed',
        entityType: 'test',
        entityId: String(i),
      }),
    );
  }
}

async function verify(env: Record<string, string>, argv: string[] = []) {
  const out: string[] = [];
  const code = await runAuditVerify({
    argv,
    env,
    database,
    output: { log: (text) => out.push(text), error: (text) => out.push(text) },
  });
  return { code, text: out.join('\n') };
}

describe(`npm run audit:verify on ${testDatabaseEngine()}`, () => {
  it('uses the data folder’s key and checkpoint file by default, and says the log is intact', async () => {
    const key = embeddedAuditKey(folder, { create: true });
    await record(key, 3);
    const checkpointFile = path.join(folder, 'audit-checkpoints.jsonl');
    await new AuditCheckpointService(
      database.db,
      new AuditRepository(),
      key,
      clock,
      new FileCheckpointSink(checkpointFile),
    ).take();
    const { code, text } = await verify({ DATA_DIR: folder });
    expect(text).toContain(`Checking the audit log with the key whose id is ${key.id}.`);
    expect(text).toContain(
      `Compared with 1 checkpoint from ${checkpointFile}, the latest taken 2026-12-03 10:00:00 UTC.`,
    );
    expect(text).toContain('The audit log is intact');
    expect(code).toBe(0);
  });

  it('names a deleted tail and exits 2, with checkpoints saved from the log', async () => {
    await record(TEST_AUDIT_KEY, 4);
    const logLines: string[] = [];
    await new AuditCheckpointService(
      database.db,
      new AuditRepository(),
      TEST_AUDIT_KEY,
      clock,
      new LogCheckpointSink((line) => logLines.push(line)),
    ).take();
    const exported = path.join(folder, 'from-the-log-store.jsonl');
    writeFileSync(exported, logLines.join(''));
    await database.execScript(`
      ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
      DELETE FROM audit_events WHERE seq = (SELECT max(seq) FROM audit_events);
      ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;`);
    const env = {
      DATABASE_URL: 'postgres://the-database-is-handed-in/greenleaf',
      AUDIT_KEY: TEST_AUDIT_KEY.exportBase64(),
    };
    const { code, text } = await verify(env, ['--checkpoints', exported]);
    expect(text).toContain('THE AUDIT LOG IS NOT INTACT: 1 problem found.');
    expect(text).toMatch(
      /- Chain \d+: the last event checkpointed at 2026-12-03 10:00:00 UTC is missing; its head should be event \d+/,
    );
    expect(text).toContain('Keep the database, its backups and the checkpoint files as they are');
    expect(code).toBe(2);
  });

  it('will not call a log intact with nothing to compare it with: no checkpoints, or their file deleted', async () => {
    await record(TEST_AUDIT_KEY, 2);
    const env = {
      DATABASE_URL: 'postgres://the-database-is-handed-in/greenleaf',
      AUDIT_KEY: TEST_AUDIT_KEY.exportBase64(),
    };
    const fromTheLog = await verify(env);
    expect(fromTheLog.code).toBe(2);
    expect(fromTheLog.text).toContain('npm run audit:verify -- --checkpoints <file>');
    const deleted = await verify({ ...env, AUDIT_CHECKPOINT_FILE: path.join(folder, 'gone.jsonl') });
    expect(deleted.code).toBe(2);
    expect(deleted.text).toContain(`The checkpoint file ${path.join(folder, 'gone.jsonl')} does not exist`);
  });

  it('reports a log it cannot read instead of crashing, and exits 1 without a key', async () => {
    const key = embeddedAuditKey(folder, { create: true });
    await record(key, 1);
    unlinkSync(path.join(folder, 'audit-key'));
    const noKey = await verify({ DATA_DIR: folder });
    expect(noKey.code).toBe(1);
    expect(noKey.text).toMatch(/AUDIT_KEY is not set/);
    await database.execScript('DROP TABLE audit_events CASCADE');
    const unreadable = await verify({ DATA_DIR: folder, AUDIT_KEY: key.exportBase64() });
    expect(unreadable.code).toBe(2);
    expect(unreadable.text).toContain('The audit log could not be read after event 0');
  });
});
