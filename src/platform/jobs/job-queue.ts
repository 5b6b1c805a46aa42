/**
 * The job queue: pg-boss on the same database (PostgreSQL, or PGlite through an adapter), so
 * jobs survive restarts, run once, and are retried with back-off. It is built in the
 * composition root, so a service can hand work to it (`JobSender`) and answer at once; the
 * server starts it with the jobs this process runs (`backgroundJobs` in the composition root).
 */
import { PgBoss } from 'pg-boss';
import type { Database } from '../database/database.ts';
import { DEFAULT_RETENTION, type RetentionSettings } from '../../retention/retention-settings.ts';

export interface Job {
  name: string;
  /** Cron in UTC, or undefined for jobs only sent on demand. */
  cron?: string;
  /**
   * Overrides of the queue's defaults (5 retries with back-off from 30 s; finished jobs kept
   * FINISHED_JOB_RETENTION_DAYS, or less if the job asks).
   */
  queue?: {
    retryLimit?: number;
    retryDelay?: number;
    /** Completed or failed jobs (and their data) are deleted this long after they finish. */
    deleteAfterSeconds?: number;
    /** A job still waiting this long is dropped. */
    retentionSeconds?: number;
  };
  /** How often an idle worker looks for this job (default 2 s): sooner for someone waiting on it. */
  pollingIntervalSeconds?: number;
  /** `data` is what `send` was given (an empty object for scheduled runs): parse it, never trust it. */
  run(data: unknown): Promise<void>;
}

/** What a service needs to hand work to the queue. */
export interface JobSender {
  send(name: string, data: Record<string, unknown>): Promise<void>;
}

export interface JobQueue extends JobSender {
  /** Creates the jobs' queues and schedules and starts working them; `send` works only after this. */
  start(jobs: Job[], onError: (error: unknown) => void): Promise<void>;
  runNow(name: string): Promise<void>;
  /** Started and not stopped: working its jobs. */
  running(): boolean;
  stop(): Promise<void>;
}

export function createJobQueue(
  database: Database,
  retention: Pick<RetentionSettings, 'finishedJobDays'> = DEFAULT_RETENTION,
): JobQueue {
  const keepFinishedSeconds = retention.finishedJobDays * 24 * 60 * 60;
  const boss = new PgBoss({
    ...database.jobQueueConnection(),
    schema: 'pgboss',
    supervise: true,
    schedule: true,
    // How often finished jobs past their queue's deleteAfterSeconds are deleted (pg-boss's
    // default is daily): a job's data can hold a contact, which should not stay for a day.
    maintenanceIntervalSeconds: 300,
  });
  // pg-boss repeats its pool's errors (a connection the server ended) as 'error' events: with
  // no listener, before start or after stop, Node would throw them and stop the process.
  let reportError: (error: unknown) => void = (error) => {
    process.emitWarning(`Job queue: ${(error as Error).message}`, 'DatabaseWarning');
  };
  boss.on('error', (error) => {
    reportError(error);
  });
  let running = false;
  return {
    async start(jobs, onError) {
      reportError = onError;
      await boss.start();
      // A schedule left by a job this version no longer runs would queue work nobody does.
      const scheduled = new Set(jobs.filter((job) => job.cron).map((job) => job.name));
      for (const schedule of await boss.getSchedules()) {
        if (!scheduled.has(schedule.name)) await boss.unschedule(schedule.name, schedule.key);
      }
      for (const job of jobs) {
        const options = {
          retryLimit: 5,
          retryDelay: 30,
          retryBackoff: true,
          ...job.queue,
          deleteAfterSeconds: Math.min(keepFinishedSeconds, job.queue?.deleteAfterSeconds ?? Infinity),
        };
        // Created once; updated on every start, so a changed setting applies to queues made before.
        await boss.createQueue(job.name, options);
        await boss.updateQueue(job.name, options);
        await boss.work(
          job.name,
          job.pollingIntervalSeconds ? { pollingIntervalSeconds: job.pollingIntervalSeconds } : {},
          async ([item]) => {
            await job.run(item?.data ?? {});
          },
        );
        if (job.cron) await boss.schedule(job.name, job.cron);
      }
      running = true;
    },
    async send(name, data) {
      await boss.send(name, data);
    },
    async runNow(name) {
      await boss.send(name, {});
    },
    running: () => running,
    async stop() {
      running = false;
      await boss.stop({ graceful: true, timeout: 5000 });
    },
  };
}
