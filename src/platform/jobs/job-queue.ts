/**
 * The job queue: pg-boss on the same database (PostgreSQL, or PGlite through an adapter), so
 * jobs survive restarts, run once, and are retried with back-off. Features add their jobs
 * here; the first is the nightly purge of expired sign-in data.
 */
import { PgBoss } from 'pg-boss';
import type { Database } from '../database/database.ts';

export interface Job {
  name: string;
  /** Cron in UTC, or undefined for jobs only sent on demand. */
  cron?: string;
  run(): Promise<void>;
}

export interface JobQueue {
  start(): Promise<void>;
  runNow(name: string): Promise<void>;
  stop(): Promise<void>;
}

export function createJobQueue(database: Database, jobs: Job[], onError: (error: unknown) => void): JobQueue {
  const boss = new PgBoss({
    ...database.jobQueueConnection(),
    schema: 'pgboss',
    supervise: true,
    schedule: true,
  });
  boss.on('error', onError);
  return {
    async start() {
      await boss.start();
      for (const job of jobs) {
        await boss.createQueue(job.name, { retryLimit: 5, retryDelay: 30, retryBackoff: true });
        await boss.work(job.name, async () => {
          await job.run();
        });
        if (job.cron) await boss.schedule(job.name, job.cron);
      }
    },
    async runNow(name) {
      await boss.send(name, {});
    },
    async stop() {
      await boss.stop({ graceful: true, timeout: 5000 });
    },
  };
}
