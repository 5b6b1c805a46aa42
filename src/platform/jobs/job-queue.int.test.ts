import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database/database.ts';
import { createTestDatabase } from '../database/test-database.ts';
import { createJobQueue, type JobQueue } from './job-queue.ts';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../test-support/rows.ts';

let database: Database;
let queue: JobQueue | undefined;
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
      const runs: unknown[] = [];
      let done: () => void = () => undefined;
      const ran = new Promise<void>((resolve) => (done = resolve));
      queue = createJobQueue(database);
      await queue.start(
        [
          {
            name: 'test-job',
            pollingIntervalSeconds: 0.5,
            queue: { retentionSeconds: 600, deleteAfterSeconds: 60 },
            run: (data) => {
              runs.push(data);
              done();
              return Promise.resolve();
            },
          },
        ],
        (error) => {
          throw error;
        },
      );
      await queue.send('test-job', { hello: 'there' });
      await ran;
      // Give a duplicate delivery the chance to show itself.
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(runs).toEqual([{ hello: 'there' }]);
      // Its data is kept no longer than the job asked: dropped unstarted after 10 minutes, deleted a minute after it ran.
      const [settings] = await queryRows<{ retention_seconds: number; deletion_seconds: number }>(
        database,
        sql`SELECT retention_seconds, deletion_seconds FROM pgboss.queue WHERE name = 'test-job'`,
      );
      expect(settings).toEqual({ retention_seconds: 600, deletion_seconds: 60 });
    },
  );
});
