/**
 * The nightly deletion of removed drawings, photos and voice notes past the plan's history
 * period, on the pg-boss queue: the schedule lives in the database, so it survives restarts and
 * runs once across instances; each deletion re-checks its entry under a lock, so two runs that
 * overlap delete each item once (MediaStorageService.deleteRemoved).
 */
import type { Job } from '../platform/jobs/job-queue.ts';
import type { MediaStorageService } from './media-storage.service.ts';

export const DELETE_REMOVED_MEDIA_JOB = 'plan.delete-removed-media';

export function planMediaJobs(storage: Pick<MediaStorageService, 'deleteRemoved'>): Job[] {
  return [
    {
      name: DELETE_REMOVED_MEDIA_JOB,
      cron: '41 3 * * *',
      run: async () => {
        await storage.deleteRemoved();
      },
    },
  ];
}
