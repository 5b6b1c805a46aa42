import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database/database.ts';
import { createTestDatabase, testDatabaseEngine } from '../database/test-database.ts';
import { createJobQueue, type JobQueue } from './job-queue.ts';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../test-support/rows.ts';

let database: Database;
let queue: JobQueue | undefined;
/** What the queue reported: a test fails on an error it did not expect, rather than the process. */
const reported: unknown[] = [];
const runs: unknown[] = [];
let ran: (data: unknown) => void = () => undefined;

/** Reads until `done` says so (every 50 ms, for up to 10 s), and returns the last reading. */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const until = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await queue?.stop();
  await database.close();
});

describe('job queue', () => {
  it(
    'runs a sent job once, with the data it was sent, on this engine, keeping it only as long as asked',
    { timeout: 60_000 },
    async () => {
      const first = new Promise<void>((resolve) => {
        ran = () => {
          resolve();
        };
      });
      queue = createJobQueue(database);
      await queue.start(
        [
          {
            name: 'test-job',
            pollingIntervalSeconds: 0.5,
            queue: { retentionSeconds: 600, deleteAfterSeconds: 60 },
            run: (data) => {
              runs.push(data);
              ran(data);
              return Promise.resolve();
            },
          },
        ],
        (error) => reported.push(error),
      );
      await queue.send('test-job', { hello: 'there' });
      await first;
      // Once the queue has marked it completed it is never delivered again: one row, completed
      // at the first attempt, and one run (no fixed wait for a duplicate that may never come).
      const settled = await waitFor(
        () =>
          queryRows<{ state: string; retry_count: number }>(
            database,
            sql`SELECT state, retry_count FROM pgboss.job WHERE name = 'test-job'`,
          ),
        (rows) => rows.every((row) => row.state === 'completed'),
      );
      expect(settled).toEqual([{ state: 'completed', retry_count: 0 }]);
      expect(runs).toEqual([{ hello: 'there' }]);
      // Its data is kept no longer than the job asked: dropped unstarted after 10 minutes, deleted a minute after it ran.
      const [settings] = await queryRows<{ retention_seconds: number; deletion_seconds: number }>(
        database,
        sql`SELECT retention_seconds, deletion_seconds FROM pgboss.queue WHERE name = 'test-job'`,
      );
      expect(settings).toEqual({ retention_seconds: 600, deletion_seconds: 60 });
      expect(reported).toEqual([]);
    },
  );

  it(
    'carries on when the database server ends its connections, and still runs the next job',
    { timeout: 60_000 },
    async () => {
      if (testDatabaseEngine() === 'embedded') {
        // PGlite runs in this process: no server can end its connection. The queue still works.
        await queue?.send('test-job', { after: 'nothing' });
      } else {
        // As a restart would: every connection of pg-boss's pool and its listener, idle or busy.
        await database.execScript(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()`,
        );
        await new Promise((resolve) => setTimeout(resolve, 500));
        await queue?.send('test-job', { after: 'the connections ended' });
      }
      const next = await new Promise<unknown>((resolve) => (ran = resolve));
      expect(next).toEqual(
        testDatabaseEngine() === 'embedded' ? { after: 'nothing' } : { after: 'the connections ended' },
      );
      // Each ended connection reported once, as the error the server sent, and nothing else.
      for (const error of reported) expect(String(error)).toMatch(/terminat/i);
    },
  );

  it(
    'keeps finished jobs as long as the setting says (or less when a job asks), and drops schedules of jobs no longer run',
    { timeout: 60_000 },
    async () => {
      await queue?.stop();
      const noop = () => Promise.resolve();
      const first = createJobQueue(database, { finishedJobDays: 7 });
      await first.start([{ name: 'old-nightly-job', cron: '0 3 * * *', run: noop }], (error) => {
        throw error;
      });
      await first.stop();

      queue = createJobQueue(database, { finishedJobDays: 2 });
      await queue.start(
        [
          { name: 'nightly-job', cron: '0 4 * * *', run: noop },
          { name: 'test-job', queue: { deleteAfterSeconds: 60 }, run: noop },
          { name: 'old-nightly-job', run: noop },
        ],
        (error) => {
          throw error;
        },
      );
      const deletion = await queryRows<{ name: string; deletion_seconds: number }>(
        database,
        sql`SELECT name, deletion_seconds FROM pgboss.queue WHERE name IN ('nightly-job', 'test-job', 'old-nightly-job') ORDER BY name`,
      );
      expect(deletion).toEqual([
        { name: 'nightly-job', deletion_seconds: 2 * 24 * 60 * 60 },
        { name: 'old-nightly-job', deletion_seconds: 2 * 24 * 60 * 60 },
        { name: 'test-job', deletion_seconds: 60 },
      ]);
      const schedules = await queryRows<{ name: string }>(
        database,
        sql`SELECT name FROM pgboss.schedule ORDER BY name`,
      );
      expect(schedules).toEqual([{ name: 'nightly-job' }]);
    },
  );
});
