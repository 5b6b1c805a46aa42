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
  it('runs a sent job once, on this engine', { timeout: 60_000 }, async () => {
    let runs = 0;
    let done: () => void = () => undefined;
    const ran = new Promise<void>((resolve) => (done = resolve));
    queue = createJobQueue(
      database,
      [
        {
          name: 'test-job',
          run: () => {
            runs += 1;
            done();
            return Promise.resolve();
          },
        },
      ],
      (error) => {
        throw error;
      },
    );
    await queue.start();
    await queue.runNow('test-job');
    await ran;
    // Give a duplicate delivery the chance to show itself.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(runs).toBe(1);
  });
});
