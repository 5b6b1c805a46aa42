/**
 * The checkpoint job on the real pg-boss queue, in an app instance built as `npm start` builds
 * it: its cron is kept in the database, and a run appends a signed checkpoint to the file.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../platform/database/database.ts';
import { createTestDatabase, testDatabaseEngine } from '../platform/database/test-database.ts';
import { createJobQueue } from '../platform/jobs/job-queue.ts';
import { startAppInstance } from '../test-support/app-instance.ts';
import { TEST_AUDIT_KEY } from '../test-support/audit-key.ts';
import { queryRows } from '../test-support/rows.ts';
import { readCheckpoints } from './audit-checkpoint.ts';
import { AUDIT_CHECKPOINT_JOB, auditJobs, takeAuditCheckpoint } from './audit-jobs.ts';

let database: Database;
let folder: string;
beforeAll(async () => {
  database = await createTestDatabase();
  folder = mkdtempSync(path.join(tmpdir(), 'greenleaf-audit-job-'));
});
afterAll(async () => {
  await database.close();
  rmSync(folder, { recursive: true, force: true });
});

const noLog = { error: () => undefined };

describe(`the audit checkpoint job on ${testDatabaseEngine()}`, () => {
  it(
    'runs every AUDIT_CHECKPOINT_MINUTES and appends a signed checkpoint to the file',
    { timeout: 60_000 },
    async () => {
      const file = path.join(folder, 'checkpoints.jsonl');
      const instance = await startAppInstance(database, '2026-12-03T10:00:00Z', {
        env: { AUDIT_CHECKPOINT_FILE: file, AUDIT_CHECKPOINT_MINUTES: '10' },
      });
      const { config, services } = instance.deps;
      const queue = createJobQueue(database);
      try {
        await queue.start(
          auditJobs(services.auditCheckpoints, config.audit.checkpointMinutes, noLog),
          (error: unknown) => {
            throw error;
          },
        );
        const schedules = await queryRows<{ name: string; cron: string }>(
          database,
          sql`SELECT name, cron FROM pgboss.schedule WHERE name = ${AUDIT_CHECKPOINT_JOB}`,
        );
        expect(schedules).toEqual([{ name: AUDIT_CHECKPOINT_JOB, cron: '*/10 * * * *' }]);
        await queue.runNow(AUDIT_CHECKPOINT_JOB);
        const deadline = Date.now() + 30_000;
        const written = () => existsSync(file) && readFileSync(file, 'utf8').endsWith('\n');
        while (!written() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
        await new Promise((resolve) => setTimeout(resolve, 250));
        const read = readCheckpoints(TEST_AUDIT_KEY, readFileSync(file, 'utf8'), file);
        expect(read.problems).toEqual([]);
        expect(read.checkpoints).toHaveLength(1);
        expect(read.checkpoints[0]?.takenAt).toBe('2026-12-03T10:00:00.000Z');
      } finally {
        await queue.stop();
        await instance.app.close();
      }
    },
  );

  it('logs at once, for the operator, chains that lost the head last checkpointed', async () => {
    const logged: { details: object; message: string }[] = [];
    await takeAuditCheckpoint(
      { take: () => Promise.resolve({ written: true, chains: 2, lostHeads: [17] }) },
      {
        error: (details, message) => logged.push({ details, message }),
      },
    );
    expect(logged).toEqual([
      {
        details: { auditChains: [17] },
        message:
          'audit log damaged: chains no longer hold their checkpointed last event; run npm run audit:verify',
      },
    ]);
  });
});
