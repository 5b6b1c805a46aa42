/**
 * The lone working alert job on the pg-boss queue. pg-boss keeps the schedule in the database,
 * so it survives restarts and starts each tick once across every instance; the per-step claim
 * in LoneWorkingAlertService.sendDue makes each alert go at most once even if two runs overlap.
 */
import type { Job } from '../platform/jobs/job-queue.ts';
import type { LoneWorkingAlertService } from './lone-working-alert.service.ts';

export const LONE_WORKING_ALERTS_JOB = 'lone-working.alerts';

export function loneWorkingJobs(alerts: Pick<LoneWorkingAlertService, 'sendDue'>): Job[] {
  return [
    {
      name: LONE_WORKING_ALERTS_JOB,
      cron: '* * * * *',
      run: async () => {
        await alerts.sendDue();
      },
    },
  ];
}
