/**
 * `/readyz`'s "jobs stuck" check against the real job queue's own tables: a job that sat past
 * its start, or ran far too long, takes the instance out of rotation until it is dealt with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Database } from '../database/database.ts';
import { createTestDatabase } from '../database/test-database.ts';
import { createJobQueue, type JobQueue } from '../jobs/job-queue.ts';
import { ReadinessRepository } from './readiness.repository.ts';
import { ReadinessService } from './readiness.service.ts';

let database: Database;
let queue: JobQueue;
let readiness: ReadinessService;
const reported: unknown[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  queue = createJobQueue(database);
  // A queue with no worker of its own, so nothing here runs the rows the test makes.
  await queue.start([{ name: 'readiness-probe', run: () => Promise.resolve() }], (error) =>
    reported.push(error),
  );
  readiness = new ReadinessService(database.db, new ReadinessRepository(), queue);
}, 60_000);
afterAll(async () => {
  await queue.stop();
  await database.close();
});

async function jobRow(state: 'created' | 'active', minutesAgo: number): Promise<void> {
  const at = sql`now() - make_interval(mins => ${minutesAgo})`;
  await database.db.execute(
    sql`INSERT INTO pgboss.job (name, data, state, start_after, started_on)
        VALUES ('readiness-probe', '{}'::jsonb, ${state}, ${at}, ${state === 'active' ? at : null})`,
  );
}

describe('readiness and the job queue', () => {
  it('is ready with jobs due now, not with one waiting 20 minutes past its start, and ready again once it runs', async () => {
    await database.db.execute(sql`DELETE FROM pgboss.job WHERE name = 'readiness-probe'`);
    await jobRow('created', 1);
    expect(await readiness.check()).toEqual({ ready: true, database: 'ok', jobQueue: 'ok' });

    await jobRow('created', 20);
    expect(await readiness.check()).toEqual({ ready: false, database: 'ok', jobQueue: 'jobs stuck' });

    await database.db.execute(
      sql`UPDATE pgboss.job SET state = 'completed', completed_on = now() WHERE name = 'readiness-probe'`,
    );
    expect(await readiness.check()).toEqual({ ready: true, database: 'ok', jobQueue: 'ok' });
    expect(reported).toEqual([]);
  });

  it('is not ready with a job running for 40 minutes', async () => {
    await database.db.execute(sql`DELETE FROM pgboss.job WHERE name = 'readiness-probe'`);
    await jobRow('active', 40);
    expect(await readiness.check()).toMatchObject({ ready: false, jobQueue: 'jobs stuck' });
    await database.db.execute(sql`DELETE FROM pgboss.job WHERE name = 'readiness-probe'`);
    expect((await readiness.check()).ready).toBe(true);
  });
});
