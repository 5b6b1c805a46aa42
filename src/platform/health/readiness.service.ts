/**
 * Whether this instance should be sent requests (`/readyz`), as against whether it is alive
 * (`/healthz`): its database answers, its job queue is running and its jobs are not stuck. A
 * load balancer takes an instance that is not ready out of rotation, and does not restart it.
 */
import type { Db } from '../database/database.ts';
import type { JobQueue } from '../jobs/job-queue.ts';
import type { ReadinessRepository } from './readiness.repository.ts';

/** Each check answers within this, or counts as not answering. */
const CHECK_TIMEOUT_MS = 2_000;
/** A job waiting this long past its start, or running this long, is stuck (reminders would be late). */
const STUCK_WAITING_MINUTES = 10;
const STUCK_RUNNING_MINUTES = 30;

export interface Readiness {
  ready: boolean;
  database: 'ok' | 'not answering';
  jobQueue: 'ok' | 'not running' | 'jobs stuck' | 'not answering';
}

function withinTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error('no answer in time'));
    }, CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

export class ReadinessService {
  private readonly db: Db;
  private readonly repository: ReadinessRepository;
  private readonly jobQueue: JobQueue;

  constructor(db: Db, repository: ReadinessRepository, jobQueue: JobQueue) {
    this.db = db;
    this.repository = repository;
    this.jobQueue = jobQueue;
  }

  async check(): Promise<Readiness> {
    const database = await withinTimeout(this.repository.ping(this.db)).then(
      () => 'ok' as const,
      () => 'not answering' as const,
    );
    let jobQueue: Readiness['jobQueue'] = 'not answering';
    if (!this.jobQueue.running()) jobQueue = 'not running';
    else if (database === 'ok') {
      jobQueue = await withinTimeout(
        this.repository.stuckJobs(this.db, STUCK_WAITING_MINUTES, STUCK_RUNNING_MINUTES),
      ).then(
        (stuck) => (stuck > 0 ? 'jobs stuck' : 'ok'),
        () => 'not answering' as const,
      );
    }
    return { ready: database === 'ok' && jobQueue === 'ok', database, jobQueue };
  }
}
