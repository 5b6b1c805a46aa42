/**
 * A job queue a test runs by hand: `send` only records the job, and `runPending` runs what was
 * sent, in order, with the same job definitions the server starts (`backgroundJobs`). A test can
 * so see what a request did before any job ran, and then what the job did.
 */
import type { Job, JobQueue } from '../platform/jobs/job-queue.ts';

export class ManualJobQueue implements JobQueue {
  readonly sent: { name: string; data: Record<string, unknown> }[] = [];
  private readonly jobs = new Map<string, Job>();
  private next = 0;
  private started = false;

  start(jobs: Job[]): Promise<void> {
    for (const job of jobs) this.jobs.set(job.name, job);
    this.started = true;
    return Promise.resolve();
  }

  running(): boolean {
    return this.started;
  }

  send(name: string, data: Record<string, unknown>): Promise<void> {
    // As pg-boss does, refuse a job nobody runs rather than lose it.
    if (!this.jobs.has(name)) return Promise.reject(new Error(`no job ${name}`));
    this.sent.push({ name, data });
    return Promise.resolve();
  }

  runNow(name: string): Promise<void> {
    return this.send(name, {});
  }

  /** Runs every job sent and not yet run (and any they send); returns how many ran. */
  async runPending(): Promise<number> {
    let ran = 0;
    while (this.next < this.sent.length) {
      const item = this.sent[this.next++];
      if (!item) break;
      await this.jobs.get(item.name)?.run(item.data);
      ran += 1;
    }
    return ran;
  }

  stop(): Promise<void> {
    this.started = false;
    return Promise.resolve();
  }
}
