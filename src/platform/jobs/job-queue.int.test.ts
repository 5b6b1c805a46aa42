import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../database/database.ts';
import { createTestDatabase } from '../database/test-database.ts';
import { createJobQueue, type JobQueue } from './job-queue.ts';

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
  it('runs a sent job once, with the data it was sent, on this engine', { timeout: 60_000 }, async () => {
    const runs: unknown[] = [];
    let done: () => void = () => undefined;
    const ran = new Promise<void>((resolve) => (done = resolve));
    queue = createJobQueue(database);
    await queue.start(
      [
        {
          name: 'test-job',
          pollingIntervalSeconds: 0.5,
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
  });
});
