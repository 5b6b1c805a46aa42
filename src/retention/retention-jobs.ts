/**
 * The nightly retention run on the pg-boss queue: the schedule lives in the database, so it
 * survives restarts and runs once across instances. Finished jobs themselves are deleted by
 * pg-boss (FINISHED_JOB_RETENTION_DAYS, set on every queue in platform/jobs/job-queue.ts).
 */
import type { Job } from '../platform/jobs/job-queue.ts';
import type { RetentionService } from './retention.service.ts';

export const DELETE_PAST_RETENTION_JOB = 'delete-past-retention';

export function retentionJobs(retention: Pick<RetentionService, 'deletePastRetention'>): Job[] {
  return [
    {
      name: DELETE_PAST_RETENTION_JOB,
      cron: '17 3 * * *',
      run: async () => {
        await retention.deletePastRetention();
      },
    },
  ];
}
