/**
 * The trial's jobs on the pg-boss queue: the serious adverse events' reporting clock, every 15
 * minutes, so a warning comes within a quarter of an hour of its time whichever instance runs it;
 * the claim on each event's row makes each warning go once.
 */
import type { Job } from '../platform/jobs/job-queue.ts';
import type { SaeService } from './sae.service.ts';

export const SAE_CLOCK_JOB = 'trial.sae-clock';

export function trialJobs(saes: Pick<SaeService, 'runClock'>): Job[] {
  return [
    {
      name: SAE_CLOCK_JOB,
      cron: '*/15 * * * *',
      run: async () => {
        await saes.runClock();
      },
    },
  ];
}
