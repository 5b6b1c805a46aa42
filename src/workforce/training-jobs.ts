/**
 * The training reminder job on the pg-boss queue: hourly, so a day's reminders go in its first
 * hour whichever instance runs it; the claim in TrainingReminderService makes each go once.
 */
import type { Job } from '../platform/jobs/job-queue.ts';
import type { TrainingReminderService } from './training-reminders.service.ts';

export const TRAINING_REMINDERS_JOB = 'training.reminders';

export function trainingJobs(reminders: Pick<TrainingReminderService, 'sendDue'>): Job[] {
  return [
    {
      name: TRAINING_REMINDERS_JOB,
      cron: '17 * * * *',
      run: async () => {
        await reminders.sendDue();
      },
    },
  ];
}
