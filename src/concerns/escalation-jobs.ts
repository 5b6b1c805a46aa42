/**
 * The escalation job on the pg-boss queue: every minute. pg-boss keeps the schedule in the
 * database, so it survives restarts; the per-step row claim in EscalationService.escalateDue
 * makes each step go once even if two runs overlap or several instances run it.
 */
import type { Job } from '../platform/jobs/job-queue.ts';
import type { EscalationService } from './escalation.service.ts';

export const ESCALATE_JOB = 'concerns.escalate';

export function escalationJobs(escalation: Pick<EscalationService, 'escalateDue'>): Job[] {
  return [
    {
      name: ESCALATE_JOB,
      cron: '* * * * *',
      run: async () => {
        await escalation.escalateDue();
      },
    },
  ];
}
