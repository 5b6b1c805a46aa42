/**
 * The reminder jobs on the pg-boss queue. pg-boss keeps the schedule in the database, so it
 * survives restarts, and starts each cron tick once across every instance; the per-row claim
 * in ReminderDeliveryService.sendDue makes each message go at most once even if two runs overlap.
 */
import type { Job } from '../platform/jobs/job-queue.ts';
import type { ReminderDeliveryService } from './reminder-delivery.service.ts';

export const SEND_DUE_JOB = 'reminders.send-due';
export const CHECK_DELIVERY_JOB = 'reminders.check-delivery';

export function reminderJobs(delivery: Pick<ReminderDeliveryService, 'sendDue' | 'checkDelivery'>): Job[] {
  return [
    {
      name: SEND_DUE_JOB,
      cron: '* * * * *',
      run: async () => {
        await delivery.sendDue();
      },
    },
    { name: CHECK_DELIVERY_JOB, cron: '*/10 * * * *', run: () => delivery.checkDelivery() },
  ];
}
